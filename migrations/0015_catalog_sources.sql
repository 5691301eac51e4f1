-- Export writes a catalog record back as it came (issue 12): each event and talk keeps the
-- JSON it was imported from, and export changes only what the site changed since. Talks made
-- from show notes, and rows imported before this, have none and are written from their columns.
alter table events add column source_json text;
alter table talks add column source_json text;
-- A record's speakers are written back as the record spelled them, whatever the person
-- registry calls them; null for rows from before, which fall back to the person's name.
alter table talk_speakers add column credited_as text;
