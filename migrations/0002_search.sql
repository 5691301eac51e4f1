-- Full-text search, kept in sync by triggers; and what the feeds need to stay honest and fast.

-- Each index stores its own copy of the text (a regular FTS5 table, rowid = the source row's id),
-- so a trigger only ever writes by rowid and can never corrupt it by passing stale old values.

create virtual table episodes_fts using fts5(title, summary, tokenize = 'porter unicode61');
insert into episodes_fts (episodes_fts, rank) values ('rank', 'bm25(10.0, 1.0)');
insert into episodes_fts (rowid, title, summary) select id, title, summary from episodes;

create trigger episodes_fts_insert after insert on episodes begin
    insert into episodes_fts (rowid, title, summary) values (new.id, new.title, new.summary);
end;
create trigger episodes_fts_update after update of title, summary on episodes begin
    update episodes_fts set title = new.title, summary = new.summary where rowid = new.id;
end;
create trigger episodes_fts_delete after delete on episodes begin
    delete from episodes_fts where rowid = old.id;
end;

create virtual table segments_fts using fts5(title, notes, tokenize = 'porter unicode61');
insert into segments_fts (segments_fts, rank) values ('rank', 'bm25(10.0, 1.0)');
insert into segments_fts (rowid, title, notes) select id, title, notes_md from segments;

create trigger segments_fts_insert after insert on segments begin
    insert into segments_fts (rowid, title, notes) values (new.id, new.title, new.notes_md);
end;
create trigger segments_fts_update after update of title, notes_md on segments begin
    update segments_fts set title = new.title, notes = new.notes_md where rowid = new.id;
end;
create trigger segments_fts_delete after delete on segments begin
    delete from segments_fts where rowid = old.id;
end;

create virtual table links_fts using fts5(title, url, tokenize = 'porter unicode61');
insert into links_fts (links_fts, rank) values ('rank', 'bm25(10.0, 1.0)');
insert into links_fts (rowid, title, url) select id, title, url from links;

create trigger links_fts_insert after insert on links begin
    insert into links_fts (rowid, title, url) values (new.id, new.title, new.url);
end;
create trigger links_fts_update after update of title, url on links begin
    update links_fts set title = new.title, url = new.url where rowid = new.id;
end;
create trigger links_fts_delete after delete on links begin
    delete from links_fts where rowid = old.id;
end;

-- A talk's speakers live in talk_speakers/people, so the index keeps them as one text column.
create virtual table talks_fts using fts5(title, speakers, description, tokenize = 'porter unicode61');
insert into talks_fts (talks_fts, rank) values ('rank', 'bm25(10.0, 5.0, 1.0)');
insert into talks_fts (rowid, title, speakers, description)
    select t.id, t.title,
           coalesce((select group_concat(p.name, ', ') from talk_speakers ts
                     join people p on p.id = ts.person_id where ts.talk_id = t.id), ''),
           t.description
    from talks t;

create trigger talks_fts_insert after insert on talks begin
    insert into talks_fts (rowid, title, speakers, description)
    values (new.id, new.title, '', new.description);
end;
create trigger talks_fts_update after update of title, description on talks begin
    update talks_fts set title = new.title, description = new.description where rowid = new.id;
end;
create trigger talks_fts_delete after delete on talks begin
    delete from talks_fts where rowid = old.id;
end;
create trigger talks_fts_speaker_added after insert on talk_speakers begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = new.talk_id), '')
    where rowid = new.talk_id;
end;
create trigger talks_fts_speaker_removed after delete on talk_speakers begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = old.talk_id), '')
    where rowid = old.talk_id;
end;
create trigger talks_fts_speaker_renamed after update of name on people begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = talks_fts.rowid), '')
    where rowid in (select talk_id from talk_speakers where person_id = new.id);
end;

-- Every guid an episode had while published: a podcast directory treats a changed guid as a
-- new episode, so `shownotes check feed` compares against this record. (`insert or ignore` would
-- not do: an upsert's conflict handling overrides a trigger's.)
create table published_guids (
    number      integer not null,
    guid        text not null,
    first_seen  text not null,
    primary key (number, guid)
);
insert into published_guids (number, guid, first_seen)
    select number, guid, coalesce(published_at, updated_at) from episodes where status = 'published';

create trigger published_guids_insert after insert on episodes when new.status = 'published' begin
    insert into published_guids (number, guid, first_seen)
    select new.number, new.guid, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    where not exists (select 1 from published_guids where number = new.number and guid = new.guid);
end;
create trigger published_guids_update after update of status, guid, number on episodes
when new.status = 'published' begin
    insert into published_guids (number, guid, first_seen)
    select new.number, new.guid, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    where not exists (select 1 from published_guids where number = new.number and guid = new.guid);
end;

-- Rendered notes for the feeds (derived, never edited): rendering a thousand episodes' markdown
-- on every cold feed would take far longer than reading it back. Any change that could alter
-- the HTML drops the row; `renderer` names the code that wrote it, so an upgrade re-renders.
create table episode_html (
    episode_id  integer primary key references episodes(id) on delete cascade,
    renderer    text not null,
    html        text not null
);

create trigger episode_html_episode_changed after update on episodes begin
    delete from episode_html where episode_id = new.id;
end;
create trigger episode_html_segment_added after insert on segments begin
    delete from episode_html where episode_id = new.episode_id;
end;
create trigger episode_html_segment_changed after update on segments begin
    delete from episode_html where episode_id in (old.episode_id, new.episode_id);
end;
create trigger episode_html_segment_removed after delete on segments begin
    delete from episode_html where episode_id = old.episode_id;
end;
create trigger episode_html_person_changed after update of slug, name, is_guest on people begin
    delete from episode_html where episode_id in (select episode_id from segments where person_id = new.id);
end;
