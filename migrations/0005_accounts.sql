-- One-time links: the first admin's setup link and invitations. Only the token's hash is stored.
create table setup_tokens (
    token_hash  text primary key,
    email       text collate nocase,          -- null: the first admin chooses it
    role        text not null check (role in ('admin', 'host')),
    person_id   integer references people(id) on delete set null,
    expires_at  text not null,
    used_at     text
);
create index sessions_user on sessions (user_id);
