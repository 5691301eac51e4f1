-- Typo matching asks, per person, whether they only ever spoke at conferences.
create index talk_speakers_person on talk_speakers (person_id);
