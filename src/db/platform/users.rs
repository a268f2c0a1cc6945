//! Users: lookups for login and guards, creation (with its audit row), login bookkeeping.

use crate::db::engine::{Db, DbError, DbResult, Sql};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::platform::time::Timestamp;

crate::db::engine::inline::row! {
    /// A user row as the server needs it (includes the hash; never sent to a page).
    #[derive(Debug, Clone)]
    pub struct UserRecord {
        pub id: i64,
        pub username: String,
        pub email: String,
        pub full_name: String,
        pub password_hash: String,
        pub role: String,
        pub active: bool,
        pub must_change_password: bool,
        /// A tz database name, or empty for the server's default.
        pub time_zone: String,
    }
}

/// A validated new user, with the password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    pub role: String,
    pub must_change_password: bool,
}

const USER_COLUMNS: &str =
    "select id, username, email, full_name, password_hash, role, active, must_change_password, time_zone from users";

#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_by_username(db: &Db, username: &str) -> DbResult<Option<UserRecord>> {
    let sql = sqlx::AssertSqlSafe(format!("{USER_COLUMNS} where lower(username) = lower($1)"));
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_as(sql).bind(username).fetch_optional(pool).await?))
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn find_by_id(db: &Db, id: i64) -> DbResult<Option<UserRecord>> {
    let mut sql = crate::db::engine::Sql::new(&format!("{USER_COLUMNS} where id = "));
    sql.bind(id);
    crate::db::engine::run::read_optional(db, sql).await
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(db: &Db) -> DbResult<i64> {
    let sql = "select count(*) from users";
    Ok(crate::db::engine::on_db!(db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?))
}

fn insert_sql(user: &NewUser, only_if_none_exist: bool) -> crate::db::engine::Sql {
    let now = Timestamp::now();
    let mut sql = crate::db::engine::Sql::new(
        "insert into users (username, email, full_name, password_hash, role, active, \
         must_change_password, created_at, updated_at) select ",
    );
    sql.bind(user.username.as_str()).push(", ").bind(user.email.as_str()).push(", ");
    sql.bind(user.full_name.as_str()).push(", ").bind(user.password_hash.as_str()).push(", ");
    sql.bind(user.role.as_str()).push(", ").bind(true).push(", ").bind(user.must_change_password);
    sql.push(", ").bind(now).push(", ").bind(now);
    if only_if_none_exist {
        sql.push(" where not exists (select 1 from users)");
    }
    sql.push(" returning id");
    sql
}

async fn insert(db: &Db, actor: &Actor, user: &NewUser, first_only: bool) -> DbResult<Option<i64>> {
    let sql = insert_sql(user, first_only);
    let audit_new = serde_json::json!({"username": user.username, "email": user.email, "role": user.role});
    let is_postgres = matches!(db, Db::Postgres(..));
    let mut tx = db.begin_write().await?;
    if first_only && is_postgres {
        // Two first-run requests at once would each see an empty table under READ
        // COMMITTED; this lock (which conflicts with itself and with inserts) makes the
        // second wait and then see the first's admin. SQLite's IMMEDIATE write already does.
        tx.execute(Sql::new("lock table users in share row exclusive mode")).await?;
    }
    let id: Option<(i64,)> = tx.fetch_optional(sql).await?;
    let id = id.map(|(id,)| id);
    if let Some(id) = id {
        let entry = AuditEntry::new("user.created", "user", id).with_new(audit_new);
        audit::append(&mut tx, actor, entry).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Creates a user. A taken username or email gives `DbError::Duplicate`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(db: &Db, actor: &Actor, user: &NewUser) -> DbResult<i64> {
    insert(db, actor, user, false).await?.ok_or(DbError::NotFound)
}

/// Creates the first user only while the table is empty (race-free: one statement).
/// `None` means somebody else already exists.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_first(db: &Db, actor: &Actor, user: &NewUser) -> DbResult<Option<i64>> {
    insert(db, actor, user, true).await
}

/// Stamps a successful login and, when given, replaces a hash made with weaker parameters.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn record_login(db: &Db, id: i64, rehashed: Option<String>) -> DbResult<()> {
    let now = Timestamp::now();
    crate::db::engine::on_db!(db, |pool| {
        sqlx::query("update users set last_login_at = $1, password_hash = coalesce($2, password_hash) where id = $3")
            .bind(now)
            .bind(rehashed.clone())
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Sets the time zone of user `user_id` (empty: the server's default), audited with both names.
#[tracing::instrument(level = "debug", skip_all, fields(user_id))]
pub async fn set_time_zone(db: &Db, actor: &Actor, user_id: i64, zone: &str) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    let mut read = Sql::new("select time_zone from users where id = ");
    read.bind(user_id);
    let (old,): (String,) = tx.fetch_optional(read).await?.ok_or(DbError::NotFound)?;
    let mut write = Sql::new("update users set time_zone = ");
    write.bind(zone).push(", updated_at = ").bind(Timestamp::now()).push(" where id = ").bind(user_id);
    tx.execute(write).await?;
    let entry = AuditEntry::new("user.time_zone_changed", "user", user_id)
        .with_changes(&serde_json::json!({"time_zone": old}), &serde_json::json!({"time_zone": zone}));
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await
}
