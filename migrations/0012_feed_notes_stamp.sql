-- Each stored rendering of an episode's feed notes gets a random stamp. The server keeps the
-- notes it has read in memory under that stamp, and a feed reads only the stamps: a rendering
-- the triggers dropped comes back with a new stamp, so memory never serves it stale.
-- The stamp sits before the HTML: SQLite reaches a column stored after a large value only by
-- reading through all of that value's overflow pages. (A derived table: dropping it re-renders.)
drop table episode_html;
create table episode_html (
    episode_id  integer primary key references episodes(id) on delete cascade,
    renderer    text not null,
    stamp       integer not null,
    html        text not null
);

-- Whether an episode has chapters, answered from the index: `start_secs` is stored after the
-- notes, so reading it from the table means reading every segment's notes.
create index segments_chapters on segments (episode_id, start_secs) where start_secs is not null;

-- A feed reads, per episode, its stamp and its presenters: both from indexes alone, since a
-- row of either table starts a page of notes the feed does not need.
create index episode_html_stamp on episode_html (episode_id, renderer, stamp);
create index segments_presenters on segments (episode_id, position, person_id)
    where person_id is not null;
