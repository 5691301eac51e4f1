-- The talk catalog keeps every pyvideo field it does not model, so export writes records back whole.
alter table events add column extra_json text not null default '{}';
alter table talks add column extra_json text not null default '{}';
-- A related URL given as a bare string (not {label, url}) is written back as one.
alter table talk_links add column bare integer not null default 0;
-- Related links found in show notes stay attached when a catalog record is re-imported.
alter table talk_links add column from_notes integer not null default 0;
-- Talks found in show notes live in this event until a catalog record claims them.
insert into events (slug, title, description)
values ('from-the-show', 'Talks discussed on the show', 'Talks the hosts brought up, not yet matched to a conference catalog.');
