-- One channel for every change notice (db::engine::change_feed): the sessions and users tables
-- announce any change on `backroom_changes`, whichever process made it, so every server drops
-- what it remembered of them. Other domains announce from the transaction that wrote them.
-- Notices come from the database itself, so their sender is `-`. One per statement, at commit.
create or replace function backroom_sessions_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('backroom_changes', '- sessions');
    return null;
end
$$;

create function backroom_users_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('backroom_changes', '- users');
    return null;
end
$$;

create trigger users_changed after update or delete on users
    for each statement execute function backroom_users_changed();

create trigger users_truncated after truncate on users
    for each statement execute function backroom_users_changed();
