-- Friends of the show: subscribers, one digest per episode, and its durable delivery queue.

-- A secret per installation, for signed tokens (CSRF cookies, unsubscribe links).
create table server_keys (
    name  text primary key,
    key   blob not null
);
insert into server_keys (name, key) values ('site', randomblob(32));

-- An erased subscriber keeps its row (so counts stay right) with no address or name.
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
-- pending rows of a cancelled digest or of someone who left become skipped.
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
    primary key (digest_id, subscriber_id)
);
create index deliveries_pending on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_sending on deliveries (claimed_at) where status = 'sending';
create index deliveries_subscriber on deliveries (subscriber_id);
