-- A segment's notes are rendered with the `rel` of its presenter's role (a guest's links get
-- `nofollow ugc`, a host's do not). When a person's guest flag changes, whoever changes it (the
-- people editor, an import of notes that learns a guest is a host, a restore), the renderings
-- of their notes are forgotten in that same transaction and made again on the next read. Until
-- now only the editor's save did this: an import that made a guest a host left their notes
-- rendered as a guest's. (Their feed notes are forgotten by `episode_html_person_changed`.)
create trigger segments_notes_follow_the_role after update of is_guest on people
when old.is_guest is not new.is_guest begin
    update segments set notes_html = null where person_id = new.id;
end;
