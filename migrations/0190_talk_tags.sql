-- A talk's tags, one row each, kept from talks.tags_json by the triggers below. A tag's page
-- found its talks by reading every talk's JSON: 11 ms a page with 20,000 talks, and 32 s of the
-- 39 s `export site` of a catalog with 2,932 tags. By this index it reads only its own.
create table talk_tags (
    tag     text not null,
    talk_id integer not null references talks(id) on delete cascade,
    primary key (tag, talk_id)
) without rowid;
create index talk_tags_talk on talk_tags (talk_id);

-- Plain inserts of distinct tags for a talk that has none yet: nothing can conflict, and so the
-- upsert that imports a catalog record cannot override a conflict clause here.
insert into talk_tags (tag, talk_id)
select distinct j.value, t.id from talks t, json_each(t.tags_json) j
where json_valid(t.tags_json) and j.type = 'text';

create trigger talks_tags_after_insert after insert on talks
when json_valid(new.tags_json)
begin
    insert into talk_tags (tag, talk_id)
    select distinct j.value, new.id from json_each(new.tags_json) j where j.type = 'text';
end;

create trigger talks_tags_after_update after update of tags_json on talks
when old.tags_json is not new.tags_json
begin
    delete from talk_tags where talk_id = new.id;
    insert into talk_tags (tag, talk_id)
    select distinct j.value, new.id from json_each(new.tags_json) j
    where json_valid(new.tags_json) and j.type = 'text';
end;
