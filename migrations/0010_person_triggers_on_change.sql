-- Saying a person is a host again (every import of notes does) changes nothing derived from them:
-- the triggers on people only act when a value they depend on really changed. Before this, each
-- import deleted cached feed HTML for every episode its hosts ever presented in.
drop trigger episode_html_person_changed;
create trigger episode_html_person_changed after update of slug, name, is_guest on people
when old.slug is not new.slug or old.name is not new.name or old.is_guest is not new.is_guest begin
    delete from episode_html where episode_id in (select episode_id from segments where person_id = new.id);
end;

drop trigger talks_fts_speaker_renamed;
create trigger talks_fts_speaker_renamed after update of name on people
when old.name is not new.name begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = talks_fts.rowid), '')
    where rowid in (select talk_id from talk_speakers where person_id = new.id);
end;
