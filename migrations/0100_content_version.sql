-- One number that moves whenever anything listeners can see changes, in the writer's own
-- transaction, whoever writes (the site, a CLI import in another process, the scheduler): the
-- page cache serves a page only while the number it was rendered under is still current. The
-- triggers below are the one place that decides what counts as a public change; writes of
-- derived columns (rendered HTML, feed stamps) are left out, so rendering never invalidates.
create table content_version (
    id       integer primary key check (id = 1),
    version  integer not null
);
insert into content_version (id, version) values (1, 1);

-- An episode: every column but the rendered intro and the import bookkeeping.
create trigger content_version_episodes_insert after insert on episodes begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_episodes_update after update of number, slug, title, summary, status, publish_at, published_at, intro_md, audio_url, audio_bytes, audio_type, duration_secs, video_url, guid, link_url, image_url on episodes begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_episodes_delete after delete on episodes begin
    update content_version set version = version + 1 where id = 1;
end;
-- A segment: every column but its rendered notes.
create trigger content_version_segments_insert after insert on segments begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segments_update after update of episode_id, position, kind, person_id, number, title, url, notes_md, start_secs, credited_as on segments begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segments_delete after delete on segments begin
    update content_version set version = version + 1 where id = 1;
end;
-- Every other table a public page, feed or search reads: any write.
create trigger content_version_settings_insert after insert on settings begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_settings_update after update on settings begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_settings_delete after delete on settings begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_people_insert after insert on people begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_people_update after update on people begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_people_delete after delete on people begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_links_insert after insert on links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_links_update after update on links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_links_delete after delete on links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segment_links_insert after insert on segment_links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segment_links_update after update on segment_links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segment_links_delete after delete on segment_links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_events_insert after insert on events begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_events_update after update on events begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_events_delete after delete on events begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talks_insert after insert on talks begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talks_update after update on talks begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talks_delete after delete on talks begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talk_speakers_insert after insert on talk_speakers begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talk_speakers_update after update on talk_speakers begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talk_speakers_delete after delete on talk_speakers begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talk_links_insert after insert on talk_links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talk_links_update after update on talk_links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_talk_links_delete after delete on talk_links begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segment_talks_insert after insert on segment_talks begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segment_talks_update after update on segment_talks begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_segment_talks_delete after delete on segment_talks begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_digests_insert after insert on digests begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_digests_update after update on digests begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_digests_delete after delete on digests begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_person_aliases_insert after insert on person_aliases begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_person_aliases_update after update on person_aliases begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_person_aliases_delete after delete on person_aliases begin
    update content_version set version = version + 1 where id = 1;
end;
