-- The baseline schema: the data model of DESIGN.md as one file, tables in its order.
-- Every later change is a migration of its own, numbered after this one.
-- Timestamps are UTC RFC 3339 text. Columns that only cache what other columns say are marked
-- "derived": dropping their values re-renders, never loses anything.

--------------------------------------------------------------------------------------------------
-- settings: the show itself, one row.
--------------------------------------------------------------------------------------------------

create table settings (
    id                 integer primary key check (id = 1),
    title              text not null default 'My Show',
    description        text not null default '',
    base_url           text not null default 'http://127.0.0.1:8000',
    language           text not null default 'en',
    owner_name         text not null default '',
    owner_email        text not null default '',
    artwork_url        text not null default '',
    categories         text not null default 'Technology',
    explicit           integer not null default 0,
    live_url           text not null default '',
    funding_url        text not null default '',
    friends_blurb      text not null default '',
    digest_sender      text not null default '',
    podcast_guid       text not null default ''
);
-- The one row every page reads; the admin edits it, nobody inserts another.
insert into settings (id) values (1);

--------------------------------------------------------------------------------------------------
-- people and the other names they go by.
--------------------------------------------------------------------------------------------------

-- is_guest: a guest known only from unpublished notes stays hidden (see public_people).
create table people (
    id        integer primary key,
    slug      text not null unique,
    name      text not null,
    bio_md    text not null default '',
    avatar    text not null default '',
    mastodon  text not null default '',
    bluesky   text not null default '',
    website   text not null default '',
    is_guest  integer not null default 0
);

-- Names the notes use for a person ("Brain" for "Brian"): the parser resolves them to the person.
create table person_aliases (
    alias      text primary key collate nocase,
    person_id  integer not null references people(id) on delete cascade
);

--------------------------------------------------------------------------------------------------
-- users, their sessions and their one-time setup links.
--------------------------------------------------------------------------------------------------

create table users (
    id             integer primary key,
    email          text not null unique collate nocase,
    password_hash  text not null,
    role           text not null check (role in ('admin', 'host')),
    person_id      integer references people(id) on delete set null,
    created_at     text not null
);

-- Only the token's hash is stored. A session idle for 2 days ends (last_seen_at), whatever
-- its 14-day limit (expires_at).
create table sessions (
    token_hash    text primary key,
    user_id       integer not null references users(id) on delete cascade,
    csrf          text not null,
    expires_at    text not null,
    last_seen_at  text not null default ''
);
-- Deleting a user deletes their sessions (on delete cascade) without reading every session.
create index sessions_user on sessions (user_id);

-- One-time links: the first admin's setup link and invitations. Only the token's hash is stored.
create table setup_tokens (
    token_hash  text primary key,
    email       text collate nocase,          -- null: the first admin chooses it
    role        text not null check (role in ('admin', 'host')),
    person_id   integer references people(id) on delete set null,
    expires_at  text not null,
    used_at     text
);

--------------------------------------------------------------------------------------------------
-- episodes, with their search index and the record of their published guids.
--------------------------------------------------------------------------------------------------

-- Columns after intro_md are read past a page of intro notes, so what a feed lists is also in
-- the episodes_feed index. intro_html is derived (null: render when read). source_file and
-- source_sha256 name the notes file an episode was imported from (no directories) and its
-- text's hash: a re-import updates in place only from the same file, and skips an unchanged
-- one. link_url, image_url (http(s) only) and from_feed are what `import feed` keeps of an
-- item; notes imported later fill a from_feed episode in, keeping its guid, date and audio.
create table episodes (
    id             integer primary key,
    number         integer not null unique,
    slug           text not null,
    title          text not null,
    summary        text not null default '',
    status         text not null default 'draft' check (status in ('draft', 'scheduled', 'published')),
    publish_at     text,
    published_at   text,
    intro_md       text not null default '',
    audio_url      text,
    audio_bytes    integer,
    audio_type     text,
    duration_secs  integer,
    video_url      text,
    guid           text not null unique,
    version        integer not null default 1,
    created_at     text not null,
    updated_at     text not null,
    intro_html     text,
    source_file    text,
    source_sha256  text,
    link_url       text,
    image_url      text,
    from_feed      integer not null default 0
);
-- Everything a feed lists, in publication order: a feed of a thousand episodes reads this index
-- instead of rows that start with pages of intro notes; it also serves "published, newest first".
create index episodes_feed on episodes (status, number desc, id, slug, title, summary, guid,
    published_at, updated_at, audio_url, audio_bytes, audio_type, duration_secs, image_url);

-- Search over episode titles and summaries. Each full-text index keeps its own copy of the text
-- (a regular FTS5 table, rowid = the source row's id), so a trigger only ever writes by rowid
-- and can never corrupt it by passing stale old values.
create virtual table episodes_fts using fts5(title, summary, tokenize = 'porter unicode61');
-- A title match ranks ten times a summary match.
insert into episodes_fts (episodes_fts, rank) values ('rank', 'bm25(10.0, 1.0)');
-- A new episode is searchable at once.
create trigger episodes_fts_insert after insert on episodes begin
    insert into episodes_fts (rowid, title, summary) values (new.id, new.title, new.summary);
end;
-- An edited title or summary is searched as it now reads.
create trigger episodes_fts_update after update of title, summary on episodes begin
    update episodes_fts set title = new.title, summary = new.summary where rowid = new.id;
end;
-- A deleted episode is no longer found.
create trigger episodes_fts_delete after delete on episodes begin
    delete from episodes_fts where rowid = old.id;
end;

-- Every guid an episode had while published: a podcast directory treats a changed guid as a
-- new episode, so `shownotes check feed` compares against this record.
create table published_guids (
    number      integer not null,
    guid        text not null,
    first_seen  text not null,
    primary key (number, guid)
);
-- An episode created already published records its guid. (`insert or ignore` would not do:
-- an upsert's conflict handling overrides a trigger's.)
create trigger published_guids_insert after insert on episodes when new.status = 'published' begin
    insert into published_guids (number, guid, first_seen)
    select new.number, new.guid, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    where not exists (select 1 from published_guids where number = new.number and guid = new.guid);
end;
-- Publishing, or changing a published episode's guid or number, records the guid it now has.
create trigger published_guids_update after update of status, guid, number on episodes
when new.status = 'published' begin
    insert into published_guids (number, guid, first_seen)
    select new.number, new.guid, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    where not exists (select 1 from published_guids where number = new.number and guid = new.guid);
end;

--------------------------------------------------------------------------------------------------
-- segments: an episode's topics, extras, joke and sponsor, with their search index.
--------------------------------------------------------------------------------------------------

-- notes_md keeps the author's markdown byte for byte; notes_html is derived (null: render when
-- read). credited_as is the presenter's name as the notes wrote it ("Brain", "Prayson") when it
-- is not the person's name, so export gives back what came in.
create table segments (
    id           integer primary key,
    episode_id   integer not null references episodes(id) on delete cascade,
    position     integer not null,
    kind         text not null check (kind in ('topic', 'extra', 'joke', 'sponsor', 'other')),
    person_id    integer references people(id) on delete set null,
    number       integer,
    title        text not null default '',
    url          text,
    notes_md     text not null default '',
    start_secs   integer,
    notes_html   text,
    credited_as  text,
    unique (episode_id, position)
);
-- A person's page lists their segments.
create index segments_person on segments (person_id);
-- Whether an episode has chapters, answered from the index: start_secs is stored after the
-- notes, so reading it from the table means reading every segment's notes.
create index segments_chapters on segments (episode_id, start_secs) where start_secs is not null;
-- A feed reads each episode's presenters from the index alone, not from rows full of notes.
create index segments_presenters on segments (episode_id, position, person_id)
    where person_id is not null;
-- Search checks each matching segment's episode is published from small index pages, not rows.
create index segments_episode on segments (id, episode_id);

-- Search over segment titles and notes (kept as episodes_fts is).
create virtual table segments_fts using fts5(title, notes, tokenize = 'porter unicode61');
-- A title match ranks ten times a notes match.
insert into segments_fts (segments_fts, rank) values ('rank', 'bm25(10.0, 1.0)');
-- A new segment is searchable at once.
create trigger segments_fts_insert after insert on segments begin
    insert into segments_fts (rowid, title, notes) values (new.id, new.title, new.notes_md);
end;
-- Edited notes are searched as they now read; keeping notes_html does not touch the index.
create trigger segments_fts_update after update of title, notes_md on segments begin
    update segments_fts set title = new.title, notes = new.notes_md where rowid = new.id;
end;
-- A deleted segment is no longer found.
create trigger segments_fts_delete after delete on segments begin
    delete from segments_fts where rowid = old.id;
end;

--------------------------------------------------------------------------------------------------
-- episode_html: each episode's rendered feed notes (derived, never edited).
--------------------------------------------------------------------------------------------------

-- Rendering a thousand episodes' markdown on every cold feed would take far longer than reading
-- it back. Any change that could alter the HTML drops the row; `renderer` names the code that
-- wrote it, so an upgrade re-renders. A rendering gets a random stamp: the server keeps notes
-- it has read in memory under that stamp and a feed reads only the stamps, so a dropped and
-- re-rendered row comes back with a new stamp and memory never serves it stale. The stamp sits
-- before the HTML: SQLite reaches a column stored after a large value only by reading through
-- all of that value's overflow pages.
create table episode_html (
    episode_id  integer primary key references episodes(id) on delete cascade,
    renderer    text not null,
    stamp       integer not null,
    html        text not null
);
-- A feed reads every episode's stamp from the index alone, never a page of HTML.
create index episode_html_stamp on episode_html (episode_id, renderer, stamp);
-- Any edit of an episode may change its feed notes: drop the rendering.
create trigger episode_html_episode_changed after update on episodes begin
    delete from episode_html where episode_id = new.id;
end;
-- A new segment changes its episode's feed notes.
create trigger episode_html_segment_added after insert on segments begin
    delete from episode_html where episode_id = new.episode_id;
end;
-- Only edits of what the feed renders drop it (keeping a segment's notes_html changes nothing).
create trigger episode_html_segment_changed
after update of episode_id, position, kind, person_id, number, title, url, notes_md, start_secs on segments begin
    delete from episode_html where episode_id in (old.episode_id, new.episode_id);
end;
-- A removed segment changes its episode's feed notes.
create trigger episode_html_segment_removed after delete on segments begin
    delete from episode_html where episode_id = old.episode_id;
end;
-- A presenter's renamed slug, name or guest flag shows in their episodes' feed notes; saying a
-- person is a host again (every import of notes does) changes nothing, so it drops nothing.
create trigger episode_html_person_changed after update of slug, name, is_guest on people
when old.slug is not new.slug or old.name is not new.name or old.is_guest is not new.is_guest begin
    delete from episode_html where episode_id in (select episode_id from segments where person_id = new.id);
end;

--------------------------------------------------------------------------------------------------
-- links: every URL the notes mention, once per url_key, and where each segment mentions it.
--------------------------------------------------------------------------------------------------

create table links (
    id             integer primary key,
    url            text not null,
    url_key        text not null unique,
    title          text not null default '',
    first_episode  integer references episodes(id) on delete set null,
    check_status   text
);

-- Search over link titles and URLs (kept as episodes_fts is).
create virtual table links_fts using fts5(title, url, tokenize = 'porter unicode61');
-- A title match ranks ten times a URL match.
insert into links_fts (links_fts, rank) values ('rank', 'bm25(10.0, 1.0)');
-- A new link is searchable at once.
create trigger links_fts_insert after insert on links begin
    insert into links_fts (rowid, title, url) values (new.id, new.title, new.url);
end;
-- An edited link is searched as it now reads.
create trigger links_fts_update after update of title, url on links begin
    update links_fts set title = new.title, url = new.url where rowid = new.id;
end;
-- A deleted link is no longer found.
create trigger links_fts_delete after delete on links begin
    delete from links_fts where rowid = old.id;
end;

-- url is the URL as this segment's episode wrote it: the registry keeps the first spelling it
-- met, which must never replace another episode's on export. Null only in rows written before
-- the column existed.
create table segment_links (
    segment_id  integer not null references segments(id) on delete cascade,
    link_id     integer not null references links(id) on delete cascade,
    position    integer not null,
    text        text not null default '',
    url         text,
    primary key (segment_id, position)
);
-- A link's page lists the segments that mention it.
create index segment_links_link on segment_links (link_id);

--------------------------------------------------------------------------------------------------
-- events and talks: the pyvideo-shaped talk catalog.
--------------------------------------------------------------------------------------------------

-- extra_json keeps every pyvideo field the catalog does not model, and source_json the record
-- as imported, so export writes a record back whole, changing only what the site changed.
-- Talks made from show notes, and rows imported before source_json, have none.
create table events (
    id           integer primary key,
    slug         text not null unique,
    title        text not null,
    year         integer,
    url          text not null default '',
    description  text not null default '',
    extra_json   text not null default '{}',
    source_json  text
);
-- Talks found in show notes live in this event until a catalog record claims them.
insert into events (slug, title, description)
values ('from-the-show', 'Talks discussed on the show', 'Talks the hosts brought up, not yet matched to a conference catalog.');

-- video_id is the YouTube id: it finds a talk across sources. extra_json and source_json as in
-- events.
create table talks (
    id             integer primary key,
    event_id       integer not null references events(id) on delete cascade,
    slug           text not null,
    title          text not null,
    description    text not null default '',
    recorded       text,
    duration_secs  integer,
    language       text not null default '',
    thumbnail_url  text not null default '',
    video_id       text,
    videos_json    text not null default '[]',
    tags_json      text not null default '[]',
    extra_json     text not null default '{}',
    source_json    text,
    unique (event_id, slug)
);
-- Finds the talks of a video. Not unique: two catalog records sharing a video stay two talks.
create index talks_video_id on talks (video_id) where video_id is not null;

-- credited_as is the speaker's name as the record spelled it, written back on export whatever
-- the person registry calls them; null for rows from before, which fall back to the name.
create table talk_speakers (
    talk_id      integer not null references talks(id) on delete cascade,
    person_id    integer not null references people(id) on delete cascade,
    position     integer not null,
    credited_as  text,
    primary key (talk_id, person_id)
);
-- Typo matching asks, per person, whether they only ever spoke at conferences.
create index talk_speakers_person on talk_speakers (person_id);

-- Search over talks. A talk's speakers live in talk_speakers and people, so the index keeps
-- them as one text column, kept by the triggers below.
create virtual table talks_fts using fts5(title, speakers, description, tokenize = 'porter unicode61');
-- A title match ranks ten times a description match, a speaker match five times.
insert into talks_fts (talks_fts, rank) values ('rank', 'bm25(10.0, 5.0, 1.0)');
-- A new talk is searchable at once (its speakers come with talk_speakers rows).
create trigger talks_fts_insert after insert on talks begin
    insert into talks_fts (rowid, title, speakers, description)
    values (new.id, new.title, '', new.description);
end;
-- An edited title or description is searched as it now reads.
create trigger talks_fts_update after update of title, description on talks begin
    update talks_fts set title = new.title, description = new.description where rowid = new.id;
end;
-- A deleted talk is no longer found.
create trigger talks_fts_delete after delete on talks begin
    delete from talks_fts where rowid = old.id;
end;
-- A talk is found by a speaker as soon as they are added.
create trigger talks_fts_speaker_added after insert on talk_speakers begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = new.talk_id), '')
    where rowid = new.talk_id;
end;
-- A talk is no longer found by a speaker removed from it.
create trigger talks_fts_speaker_removed after delete on talk_speakers begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = old.talk_id), '')
    where rowid = old.talk_id;
end;
-- A renamed person's talks are found by the new name; an update that keeps the name does nothing.
create trigger talks_fts_speaker_renamed after update of name on people
when old.name is not new.name begin
    update talks_fts set speakers = coalesce((select group_concat(p.name, ', ') from talk_speakers ts
        join people p on p.id = ts.person_id where ts.talk_id = talks_fts.rowid), '')
    where rowid in (select talk_id from talk_speakers where person_id = new.id);
end;

-- A talk's related URLs. bare: given as a bare string (not {label, url}), written back as one.
-- from_notes: found in show notes, kept when a catalog record is re-imported.
create table talk_links (
    talk_id     integer not null references talks(id) on delete cascade,
    position    integer not null,
    url         text not null,
    text        text not null default '',
    bare        integer not null default 0,
    from_notes  integer not null default 0,
    primary key (talk_id, position)
);
-- Importing notes asks whether a talk already has a related URL without reading all its links.
create index talk_links_url on talk_links (talk_id, url);

-- The talks a segment discusses.
create table segment_talks (
    segment_id  integer not null references segments(id) on delete cascade,
    talk_id     integer not null references talks(id) on delete cascade,
    position    integer not null,
    primary key (segment_id, talk_id)
);
-- A talk's page lists the segments that discuss it.
create index segment_talks_talk on segment_talks (talk_id);

--------------------------------------------------------------------------------------------------
-- What listeners may see: one definition that every public page, feed, sitemap and search
-- reads, so a draft's or a scheduled episode's talks and guests show nowhere.
--------------------------------------------------------------------------------------------------

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

--------------------------------------------------------------------------------------------------
-- Friends of the show: subscribers, one digest per episode, and its durable delivery queue.
--------------------------------------------------------------------------------------------------

-- An erased subscriber keeps its row (so counts stay right) with no address or name.
-- autoincrement: an id is never given out twice.
create table subscribers (
    id                  integer primary key autoincrement,
    email               text unique,
    name                text not null default '',
    status              text not null default 'pending'
                        check (status in ('pending', 'confirmed', 'unsubscribed', 'erased')),
    source              text not null default 'form',
    confirm_token_hash  text unique,
    confirm_expires_at  text,
    created_at          text not null,
    confirmed_at        text,
    unsubscribed_at     text
);
-- Queueing a digest for the confirmed subscribers and the counts per status read by status.
create index subscribers_status on subscribers (status);

create table digests (
    id              integer primary key,
    episode_number  integer not null unique,
    subject         text not null,
    html            text not null,
    text            text not null,
    status          text not null default 'draft'
                    check (status in ('draft', 'sending', 'paused', 'sent', 'cancelled')),
    created_at      text not null,
    started_at      text,
    sent_at         text
);

-- status: pending → sending (claimed; message_id fixed before the SMTP transaction) → sent | failed;
-- pending rows of a cancelled digest or of someone who left become skipped. A worker records
-- handed_at in the instant before it writes a message's end-of-data mark: from then on the
-- server may hold the message even if the worker dies before hearing its answer. A row left in
-- `sending` with handed_at set is settled as sent and never transmitted again; one without it
-- never reached the server whole and is sent again.
create table deliveries (
    digest_id        integer not null references digests(id) on delete cascade,
    subscriber_id    integer not null references subscribers(id),
    status           text not null default 'pending'
                     check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts         integer not null default 0,
    next_attempt_at  text not null default '',
    claimed_at       text,
    message_id       text,
    last_error       text,
    sent_at          text,
    handed_at        text,
    primary key (digest_id, subscriber_id)
);
-- The worker claims the next delivery that is due without scanning sent ones.
create index deliveries_pending on deliveries (next_attempt_at) where status = 'pending';
-- Recovery finds claims a dead worker left behind without scanning sent ones.
create index deliveries_sending on deliveries (claimed_at) where status = 'sending';
-- Unsubscribing and erasing skip a subscriber's pending deliveries.
create index deliveries_subscriber on deliveries (subscriber_id);

--------------------------------------------------------------------------------------------------
-- audit_log: who did what to which row, when.
--------------------------------------------------------------------------------------------------

create table audit_log (
    id          integer primary key,
    user_id     integer references users(id) on delete set null,
    action      text not null,
    entity      text not null,
    entity_id   integer,
    detail      text not null default '',
    created_at  text not null
);

--------------------------------------------------------------------------------------------------
-- server_keys: secrets of this installation.
--------------------------------------------------------------------------------------------------

create table server_keys (
    name  text primary key,
    key   blob not null
);
-- The key for signed tokens (CSRF cookies, unsubscribe links), made once per installation.
insert into server_keys (name, key) values ('site', randomblob(32));
