-- The presenter's name as the notes wrote it ("Brain", "Prayson") when it is not the person's
-- name: export gives back what came in, whatever the person is called now (issue 12).
alter table segments add column credited_as text;
