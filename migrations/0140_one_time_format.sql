-- One stored form for every time: UTC to the microsecond, fixed width
-- (`2025-05-27T08:00:00.000000Z`, what `clock::Timestamp` writes), so that text order is time
-- order. Until now a time a host chose (a publication time) was kept to the whole second
-- (`2025-05-27T08:00:00Z`), which sorts after every moment inside that second ('Z' > '.'), and
-- an imported episode kept its time as written (`+02:00` offsets). Values already in the form,
-- empty ones ('' meaning "never" in two columns) and nulls are left alone; SQLite reads the
-- rest (any offset) as UTC to the millisecond, which is all the older forms held.

update users set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update sessions set expires_at = strftime('%Y-%m-%dT%H:%M:%f', expires_at) || '000Z'
where expires_at <> '' and expires_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', expires_at) is not null;
update sessions set last_seen_at = strftime('%Y-%m-%dT%H:%M:%f', last_seen_at) || '000Z'
where last_seen_at <> '' and last_seen_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', last_seen_at) is not null;
update setup_tokens set expires_at = strftime('%Y-%m-%dT%H:%M:%f', expires_at) || '000Z'
where expires_at <> '' and expires_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', expires_at) is not null;
update setup_tokens set used_at = strftime('%Y-%m-%dT%H:%M:%f', used_at) || '000Z'
where used_at <> '' and used_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', used_at) is not null;
update episodes set publish_at = strftime('%Y-%m-%dT%H:%M:%f', publish_at) || '000Z'
where publish_at <> '' and publish_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', publish_at) is not null;
update episodes set published_at = strftime('%Y-%m-%dT%H:%M:%f', published_at) || '000Z'
where published_at <> '' and published_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', published_at) is not null;
update episodes set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update episodes set updated_at = strftime('%Y-%m-%dT%H:%M:%f', updated_at) || '000Z'
where updated_at <> '' and updated_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', updated_at) is not null;
update published_guids set first_seen = strftime('%Y-%m-%dT%H:%M:%f', first_seen) || '000Z'
where first_seen <> '' and first_seen not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', first_seen) is not null;
update subscribers set confirm_expires_at = strftime('%Y-%m-%dT%H:%M:%f', confirm_expires_at) || '000Z'
where confirm_expires_at <> '' and confirm_expires_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', confirm_expires_at) is not null;
update subscribers set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update subscribers set confirmed_at = strftime('%Y-%m-%dT%H:%M:%f', confirmed_at) || '000Z'
where confirmed_at <> '' and confirmed_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', confirmed_at) is not null;
update subscribers set unsubscribed_at = strftime('%Y-%m-%dT%H:%M:%f', unsubscribed_at) || '000Z'
where unsubscribed_at <> '' and unsubscribed_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', unsubscribed_at) is not null;
update digests set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update digests set started_at = strftime('%Y-%m-%dT%H:%M:%f', started_at) || '000Z'
where started_at <> '' and started_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', started_at) is not null;
update digests set sent_at = strftime('%Y-%m-%dT%H:%M:%f', sent_at) || '000Z'
where sent_at <> '' and sent_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', sent_at) is not null;
update deliveries set next_attempt_at = strftime('%Y-%m-%dT%H:%M:%f', next_attempt_at) || '000Z'
where next_attempt_at <> '' and next_attempt_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', next_attempt_at) is not null;
update deliveries set claimed_at = strftime('%Y-%m-%dT%H:%M:%f', claimed_at) || '000Z'
where claimed_at <> '' and claimed_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', claimed_at) is not null;
update deliveries set sent_at = strftime('%Y-%m-%dT%H:%M:%f', sent_at) || '000Z'
where sent_at <> '' and sent_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', sent_at) is not null;
update deliveries set handed_at = strftime('%Y-%m-%dT%H:%M:%f', handed_at) || '000Z'
where handed_at <> '' and handed_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', handed_at) is not null;
update audit_log set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update password_resets set expires_at = strftime('%Y-%m-%dT%H:%M:%f', expires_at) || '000Z'
where expires_at <> '' and expires_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', expires_at) is not null;
update password_resets set used_at = strftime('%Y-%m-%dT%H:%M:%f', used_at) || '000Z'
where used_at <> '' and used_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', used_at) is not null;
update episode_revisions set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update transcripts set created_at = strftime('%Y-%m-%dT%H:%M:%f', created_at) || '000Z'
where created_at <> '' and created_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', created_at) is not null;
update transcripts set updated_at = strftime('%Y-%m-%dT%H:%M:%f', updated_at) || '000Z'
where updated_at <> '' and updated_at not glob '????-??-??T??:??:??.??????Z' and strftime('%Y-%m-%dT%H:%M:%f', updated_at) is not null;

-- The guid record's first sighting, written by triggers, in the same form.
drop trigger published_guids_insert;
create trigger published_guids_insert after insert on episodes when new.status = 'published' begin
    insert into published_guids (number, guid, first_seen)
    select new.number, new.guid, strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'
    where not exists (select 1 from published_guids where number = new.number and guid = new.guid);
end;
drop trigger published_guids_update;
create trigger published_guids_update after update of status, guid, number on episodes
when new.status = 'published' begin
    insert into published_guids (number, guid, first_seen)
    select new.number, new.guid, strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'
    where not exists (select 1 from published_guids where number = new.number and guid = new.guid);
end;
