-- Each segment keeps the URL as its episode wrote it: the registry groups spellings by url_key
-- and keeps the first one it met, which must never replace another episode's spelling on
-- export (issue 12). Null only in rows written before this column existed.
alter table segment_links add column url text;
