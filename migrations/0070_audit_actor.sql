-- Who made an audit entry, kept when their account is removed (issue 13): the person the account
-- belonged to, and what acted when no account did (the scheduler, an import, the command line).
alter table audit_log add column person_id integer references people(id) on delete set null;
alter table audit_log add column actor text not null default 'user'
    check (actor in ('user', 'scheduler', 'import', 'command line'));
update audit_log set person_id = (select u.person_id from users u where u.id = audit_log.user_id);
update audit_log set actor = case
        when action = 'status' and detail like '%published on schedule' then 'scheduler'
        when action = 'import' then 'import'
        else 'command line'
    end
    where user_id is null;
