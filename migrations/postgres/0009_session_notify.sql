-- Every change to sessions (an update, a delete, a truncate), by any process, is announced on
-- the channel `backroom_sessions`; a running server answers sessions from memory only until
-- the next announcement (db::session_watch). One notification per statement, sent at commit.
create function backroom_sessions_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('backroom_sessions', '');
    return null;
end
$$;

create trigger sessions_changed after update or delete on sessions
    for each statement execute function backroom_sessions_changed();

create trigger sessions_truncated after truncate on sessions
    for each statement execute function backroom_sessions_changed();
