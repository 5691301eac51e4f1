-- An episode's feed notes show its intro and its segments (their own triggers), nothing else of
-- the episodes row. Dropping them on any update of the row also dropped them when a page's first
-- read stored the intro's rendering, or a status or title changed; they are dropped now only
-- when the intro's markdown changes.
drop trigger episode_html_episode_changed;
create trigger episode_html_intro_changed after update of intro_md on episodes begin
    delete from episode_html where episode_id = new.id;
end;
