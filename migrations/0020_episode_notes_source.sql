-- The notes file an episode was imported from (its name, no directories) and the SHA-256 of
-- its text: a re-import updates an episode in place only from the same file, and a file that
-- has not changed is left alone.
alter table episodes add column source_file text;
alter table episodes add column source_sha256 text;
