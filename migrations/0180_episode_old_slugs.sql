-- The addresses a published episode had before a title edit changed its slug. The live site
-- redirects any slug of an episode to its current one; a static copy cannot, so `export site`
-- writes a page at each old address that leads to the current one, and links shared before
-- the edit keep working on a CDN.
create table episode_old_slugs (
    episode_id integer not null references episodes(id) on delete cascade,
    slug       text not null,
    primary key (episode_id, slug)
) without rowid;

-- Only an address listeners could have seen: the episode is published, or was (its guid went
-- out in the feed) and is a draft again. `where not exists` rather than `insert or ignore`:
-- an upsert's conflict handling overrides a trigger's.
create trigger episodes_keep_old_slug after update of slug on episodes
when old.slug <> new.slug
    and (old.status = 'published'
         or exists (select 1 from published_guids g where g.number = old.number and g.guid = old.guid))
begin
    insert into episode_old_slugs (episode_id, slug)
    select old.id, old.slug
    where not exists (select 1 from episode_old_slugs where episode_id = old.id and slug = old.slug);
end;
