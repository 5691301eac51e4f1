-- A bulk import writes a batch of episodes, then indexes it for search in one statement per
-- index (issue 12). Row by row, every statement of the batch that follows an indexed row
-- wrote the index's pending terms out as a small segment (SQLite's full-text index does so at
-- every statement journal), then merged those segments: a third of an import's time.
-- While this table holds a row, new episodes, segments and talks wait to be indexed; the
-- import adds the row inside its transaction and removes it before committing, so no other
-- connection ever sees it, and a rolled-back import takes it away with everything else.
create table search_deferred (deferred integer primary key check (deferred = 1));

drop trigger episodes_fts_insert;
create trigger episodes_fts_insert after insert on episodes
when not exists (select 1 from search_deferred) begin
    insert into episodes_fts (rowid, title, summary) values (new.id, new.title, new.summary);
end;

drop trigger segments_fts_insert;
create trigger segments_fts_insert after insert on segments
when not exists (select 1 from search_deferred) begin
    insert into segments_fts (rowid, title, notes) values (new.id, new.title, new.notes_md);
end;

drop trigger talks_fts_insert;
create trigger talks_fts_insert after insert on talks
when not exists (select 1 from search_deferred) begin
    insert into talks_fts (rowid, title, speakers, description)
    values (new.id, new.title, '', new.description);
end;
