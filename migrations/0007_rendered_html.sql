-- Rendered, sanitized HTML kept beside its markdown so a page is not re-rendered
-- on every cold request. Derived data: null means "render when read".
alter table segments add column notes_html text;
alter table episodes add column intro_html text;
