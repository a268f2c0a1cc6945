-- Platform: users, server-side sessions, the append-only audit log, typed settings.
-- Timestamps are RFC 3339 UTC text with whole seconds (sortable as text); booleans are 0/1.
create table users (
    id integer primary key,
    username text not null unique,
    email text not null unique,
    full_name text not null default '',
    password_hash text not null,
    role text not null check (role in ('viewer', 'staff', 'manager', 'admin')),
    active integer not null default 1,
    must_change_password integer not null default 0,
    language text not null default 'en',
    created_at text not null,
    updated_at text not null,
    last_login_at text
);

-- id is the SHA-256 of the cookie's session id, so a leaked table opens no session.
create table sessions (
    id text primary key,
    user_id integer references users(id) on delete cascade,
    data text not null,
    created_at text not null,
    last_seen_at text not null,
    expires_at text not null,
    ip text not null default '',
    user_agent text not null default ''
);
create index sessions_user on sessions(user_id);
create index sessions_expires on sessions(expires_at);

-- actor_id has no cascade: a user who appears in the log cannot be deleted, only deactivated.
create table audit_log (
    id integer primary key,
    at text not null,
    actor_id integer references users(id),
    actor_name text not null default '',
    event_type text not null,
    entity_type text not null default '',
    entity_id text not null default '',
    old_values text,
    new_values text,
    ip text not null default '',
    user_agent text not null default ''
);
create index audit_log_at on audit_log(at, id);
create index audit_log_event on audit_log(event_type, at);
create index audit_log_actor on audit_log(actor_id, at);

create table settings (
    key text primary key,
    value text not null,
    value_type text not null check (value_type in ('int', 'text', 'bool')),
    description text not null default '',
    updated_at text not null
);
insert into settings (key, value, value_type, description, updated_at)
values ('cards_per_turn', '1', 'int', 'Cards per machine turn when the machine sets none', '2026-01-01T00:00:00Z');
