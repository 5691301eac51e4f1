-- When a session was last used: a session idle for 2 days ends, whatever its 14-day limit
-- (issue 13). Sessions from before this column count as used when it was added.
alter table sessions add column last_seen_at text not null default '';
update sessions set last_seen_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now');
