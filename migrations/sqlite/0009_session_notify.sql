-- Nothing on SQLite: PostgreSQL's 0009 announces session changes to running servers, which
-- then may answer sessions from memory; a SQLite server reads its session row on every request
-- (db::session_watch). Versions stay the same on both engines, as backups expect.
select 1;
