-- What `import feed` keeps of an item besides its guid, date and audio (issue 12): its web
-- page and its artwork (only http(s) URLs), and whether the episode was created from the feed
-- alone: notes imported later fill such an episode in without --replace, keeping its guid,
-- date and audio.
alter table episodes add column link_url text;
alter table episodes add column image_url text;
alter table episodes add column from_feed integer not null default 0;

-- The feed index holds everything a feed lists (0014), now the item's artwork too.
drop index episodes_feed;
create index episodes_feed on episodes (status, number desc, id, slug, title, summary, guid,
    published_at, updated_at, audio_url, audio_bytes, audio_type, duration_secs, image_url);
