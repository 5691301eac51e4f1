-- Two catalog records are never merged, even when they share a video (issue 12): a video id
-- finds talks, it no longer makes them one.
drop index talks_video_id;
create index talks_video_id on talks (video_id) where video_id is not null;
