-- The time zone a host dated or scheduled the episode in (IANA name): the editor shows its
-- times there ("Scheduled for Tue 2 Dec, 18:00 (Europe/Berlin)"); the times stay stored in UTC.
alter table episodes add column time_zone text not null default 'UTC';
