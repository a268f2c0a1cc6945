-- Values shown once (a new API token, a generated password, an import or restore report),
-- waiting for the next page of the session that made them, on whichever server serves it
-- (auth::one_time). Each is sealed with a key derived from the session's cookie id, which the
-- database never holds; a row goes with its session, and rows older than five minutes are swept.
create table one_time_values (
    session_id text not null references sessions (id) on delete cascade,
    name text not null,
    sealed text not null,
    created_at bigint not null,
    primary key (session_id, name)
);
