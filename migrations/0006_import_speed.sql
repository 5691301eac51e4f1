-- Importing notes asks whether a talk already has a related URL: without this
-- index each question reads every link of the talk.
create index talk_links_url on talk_links (talk_id, url);
