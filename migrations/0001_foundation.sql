-- The data model of DESIGN.md. Timestamps are UTC RFC 3339 text.

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
insert into settings (id) values (1);

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

create table person_aliases (
    alias      text primary key collate nocase,
    person_id  integer not null references people(id) on delete cascade
);

create table users (
    id             integer primary key,
    email          text not null unique collate nocase,
    password_hash  text not null,
    role           text not null check (role in ('admin', 'host')),
    person_id      integer references people(id) on delete set null,
    created_at     text not null
);

create table sessions (
    token_hash  text primary key,
    user_id     integer not null references users(id) on delete cascade,
    csrf        text not null,
    expires_at  text not null
);

create table episodes (
    id            integer primary key,
    number        integer not null unique,
    slug          text not null,
    title         text not null,
    summary       text not null default '',
    status        text not null default 'draft' check (status in ('draft', 'scheduled', 'published')),
    publish_at    text,
    published_at  text,
    intro_md      text not null default '',
    audio_url     text,
    audio_bytes   integer,
    audio_type    text,
    duration_secs integer,
    video_url     text,
    guid          text not null unique,
    version       integer not null default 1,
    created_at    text not null,
    updated_at    text not null
);
create index episodes_published on episodes (status, number desc);

create table segments (
    id          integer primary key,
    episode_id  integer not null references episodes(id) on delete cascade,
    position    integer not null,
    kind        text not null check (kind in ('topic', 'extra', 'joke', 'sponsor', 'other')),
    person_id   integer references people(id) on delete set null,
    number      integer,
    title       text not null default '',
    url         text,
    notes_md    text not null default '',
    start_secs  integer,
    unique (episode_id, position)
);
create index segments_person on segments (person_id);

create table links (
    id             integer primary key,
    url            text not null,
    url_key        text not null unique,
    title          text not null default '',
    first_episode  integer references episodes(id) on delete set null,
    check_status   text
);

create table segment_links (
    segment_id  integer not null references segments(id) on delete cascade,
    link_id     integer not null references links(id) on delete cascade,
    position    integer not null,
    text        text not null default '',
    primary key (segment_id, position)
);
create index segment_links_link on segment_links (link_id);

create table events (
    id     integer primary key,
    slug   text not null unique,
    title  text not null,
    year   integer,
    url    text not null default '',
    description text not null default ''
);

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
    video_id       text,             -- YouTube id: a talk's identity across sources
    videos_json    text not null default '[]',
    tags_json      text not null default '[]',
    unique (event_id, slug)
);
create unique index talks_video_id on talks (video_id) where video_id is not null;

create table talk_speakers (
    talk_id    integer not null references talks(id) on delete cascade,
    person_id  integer not null references people(id) on delete cascade,
    position   integer not null,
    primary key (talk_id, person_id)
);

create table talk_links (
    talk_id   integer not null references talks(id) on delete cascade,
    position  integer not null,
    url       text not null,
    text      text not null default '',
    primary key (talk_id, position)
);

create table segment_talks (
    segment_id  integer not null references segments(id) on delete cascade,
    talk_id     integer not null references talks(id) on delete cascade,
    position    integer not null,
    primary key (segment_id, talk_id)
);
create index segment_talks_talk on segment_talks (talk_id);

create table audit_log (
    id          integer primary key,
    user_id     integer references users(id) on delete set null,
    action      text not null,
    entity      text not null,
    entity_id   integer,
    detail      text not null default '',
    created_at  text not null
);
