-- Pages and feeds list episodes by publication date (newest first, number breaking ties): an
-- archive imported from an old feed keeps its real order even where numbers and dates disagree.
-- Same covering columns as before, keyed by the new order.
drop index episodes_feed;
create index episodes_feed on episodes (status, published_at desc, number desc, id, slug, title,
    summary, guid, updated_at, audio_url, audio_bytes, audio_type, duration_secs, image_url);
