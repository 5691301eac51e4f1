-- What listeners may see (issue 13, drafts leak): one definition that every public page, feed,
-- sitemap and search reads, so a draft's or a scheduled episode's talks and guests show nowhere.
-- A talk is public when it is a catalog record (any event but the notes' holding event) or a
-- published episode discusses it; a talk found only in unpublished notes waits for its episode.
create view public_talks as
select t.* from talks t
where t.event_id <> coalesce((select id from events where slug = 'from-the-show'), -1)
   or exists (select 1 from segment_talks st
              join segments s on s.id = st.segment_id
              join episodes e on e.id = s.episode_id
              where st.talk_id = t.id and e.status = 'published');

-- A person is public unless they are a guest known only from unpublished notes: hosts and
-- speakers always, a guest once a published episode has their segment or a public talk theirs.
create view public_people as
select p.* from people p
where not p.is_guest
   or exists (select 1 from segments s join episodes e on e.id = s.episode_id
              where s.person_id = p.id and e.status = 'published')
   or exists (select 1 from talk_speakers ts join public_talks t on t.id = ts.talk_id
              where ts.person_id = p.id);
