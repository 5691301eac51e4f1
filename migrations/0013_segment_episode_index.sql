-- Search checks, for each of up to a thousand matching segments, that its episode is published.
-- A segment's row begins a page of notes; this index answers "which episode" from small pages.
create index segments_episode on segments (id, episode_id);
