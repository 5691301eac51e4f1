-- Every saved version of an episode, newest last: a host compares two and restores one.
-- doc_json is the episode as the editor edits it (fields and segments, no derived HTML), which
-- restoring saves again; notes_md is the same episode in the notes dialect, for a line diff.
-- user_id is null for versions saved by no signed-in host (an import, or one kept from before
-- revisions were recorded); actor says which. The service keeps the newest 200 per episode.
create table episode_revisions (
    id          integer primary key,
    episode_id  integer not null references episodes(id) on delete cascade,
    user_id     integer references users(id) on delete set null,
    actor       text not null default 'user',
    number      integer not null,
    title       text not null,
    doc_json    text not null,
    notes_md    text not null,
    created_at  text not null
);
-- An episode's revisions, newest first, and trimming the oldest.
create index episode_revisions_episode on episode_revisions (episode_id, id);
