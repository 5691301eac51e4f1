-- An episode's transcript (issue 15): the cues read from the WebVTT or SRT file a host
-- attached. The .vtt and .srt files listeners download are written from the cues, so they are
-- always well-formed whichever format came in; the file's name is kept to say what was attached.
create table transcripts (
    episode_id     integer primary key references episodes (id) on delete cascade,
    source_name    text not null,
    source_format  text not null check (source_format in ('vtt', 'srt')),
    created_at     text not null,
    updated_at     text not null
);

-- One timed line of what was said, in playing order; speaker is '' when the file names none.
create table transcript_cues (
    episode_id  integer not null references transcripts (episode_id) on delete cascade,
    position    integer not null,
    start_ms    integer not null,
    end_ms      integer not null,
    speaker     text not null default '',
    text        text not null,
    primary key (episode_id, position)
) without rowid;

-- Search over what was said: one document per episode (rowid = episode id), its speakers and
-- cue text. The store writes it with the cues in one transaction (the text is joined from many
-- rows, which no row trigger sees whole); an episode deleted with its transcript leaves none.
create virtual table transcripts_fts using fts5(text, tokenize = 'porter unicode61');
create trigger transcripts_fts_delete after delete on transcripts begin
    delete from transcripts_fts where rowid = old.episode_id;
end;

-- A transcript shows on its episode's page, in the feeds and in search: any write is a public
-- change (see 0100_content_version.sql).
create trigger content_version_transcripts_insert after insert on transcripts begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_transcripts_update after update on transcripts begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_transcripts_delete after delete on transcripts begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_transcript_cues_insert after insert on transcript_cues begin
    update content_version set version = version + 1 where id = 1;
end;
create trigger content_version_transcript_cues_delete after delete on transcript_cues begin
    update content_version set version = version + 1 where id = 1;
end;
