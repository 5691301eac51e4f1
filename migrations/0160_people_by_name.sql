-- People are looked up by name, case aside, whenever notes or a catalog credit someone by name:
-- without an index each lookup read every person (an import of 20,000 talks made 40,000 of them).
create index people_name_nocase on people (name collate nocase);
