-- Everything a feed lists of an episode, in publication order: a feed of a thousand episodes
-- reads this index instead of rows that start with pages of intro notes (two thirds of a
-- cold feed's database time was spent reading those pages back).
-- It starts as episodes_published did, so it serves every query that one served.
drop index episodes_published;
create index episodes_feed on episodes (status, number desc, id, slug, title, summary, guid,
    published_at, updated_at, audio_url, audio_bytes, audio_type, duration_secs);
