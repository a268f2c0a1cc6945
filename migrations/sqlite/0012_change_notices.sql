-- Nothing on SQLite: PostgreSQL's 0012 announces changes to sessions and users to every server
-- that shares the database; a SQLite file has one server. Versions stay the same on both
-- engines, as backups expect.
select 1;
