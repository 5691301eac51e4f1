-- Keeping a segment's rendered notes (notes_html) changes nothing a feed shows:
-- only edits of what the feed renders drop the episode's cached feed HTML.
drop trigger episode_html_segment_changed;
create trigger episode_html_segment_changed
after update of episode_id, position, kind, person_id, number, title, url, notes_md, start_secs on segments begin
    delete from episode_html where episode_id in (old.episode_id, new.episode_id);
end;
