-- Failed logins per account and hour, kept in the database so that every server sharing it
-- enforces one limit (auth::session, db::platform::login_failures). `account_key` is a hash of
-- the lower-cased name (32 hex characters), so a name of any length costs the same; a row is
-- swept once its hour and the next are over.
create table login_failures (
    account_key text not null,
    window_start bigint not null,
    failures bigint not null,
    primary key (account_key, window_start)
);
