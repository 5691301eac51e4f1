-- Password reset links (issue 13): valid one hour, used once; only the token's hash is stored.
create table password_resets (
    token_hash  text primary key,
    user_id     integer not null references users(id) on delete cascade,
    expires_at  text not null,
    used_at     text
);
-- Using one link spends the user's others.
create index password_resets_user on password_resets (user_id);
