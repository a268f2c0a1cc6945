//! Putting a verified container's data in place of the live data, as one transaction each:
//! SQLite attaches a staged copy and replaces every table's rows; PostgreSQL loads a schema of
//! its own and swaps it for `public` by renaming both.
use std::path::Path;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::SqlitePool;
use sqlx::{ConnectOptions, Connection};

use super::container::{self, quoted, Table};
use super::create::Progress;
use super::files::temp_path;
use super::verify::{TempFile, Verified};
use super::BackupError;
use crate::model::platform::time::Timestamp;

/// The session that asked for the restore, kept if the restored data still has its user as an
/// active admin under the same name; every other session ends.
#[derive(Debug, Clone)]
pub struct KeepSession {
    pub key: String,
    pub user_id: i64,
    pub username: String,
}

/// Every column of a session row, for carrying the restoring admin's session across.
const SESSION_COLUMNS: &str = "id, user_id, data, created_at, last_seen_at, expires_at, ip, user_agent";

/// The restored database, built beside the live one: this build's own schema at the backup's
/// version (its indexes dropped while rows go in), the container's rows copied over as bound
/// values, then the remaining migrations. Nothing in the container is run as SQL (BK-8).
async fn stage_sqlite(verified: &Verified, dir: &Path) -> Result<(TempFile, Vec<Table>), BackupError> {
    let staged = TempFile(temp_path(
        &dir.join(format!("restore-{}-{:08x}", Timestamp::now().unix(), rand::random::<u32>())),
        ".staged",
    ));
    container::migrate(&staged.0, verified.manifest.schema_version).await?;
    let tables = container::data_tables(&staged.0).await?;
    let mut conn = container::open_rw(&staged.0).await?;
    let indexes = container::drop_indexes(&mut conn, &tables, "main").await?;
    conn.close().await?;
    let (source, target, copied) = (verified.container.0.clone(), staged.0.clone(), tables.clone());
    super::blocking(move || super::untrusted::copy_rows(&source, &target, &copied)).await?;
    let mut conn = container::open_rw(&staged.0).await?;
    container::rebuild_indexes(&mut conn, &indexes, "main").await?;
    conn.close().await?;
    container::migrate(&staged.0, crate::db::engine::connect::latest_schema_version()).await?;
    container::check_integrity(&staged.0).await?;
    let tables = container::data_tables(&staged.0).await?;
    Ok((staged, tables))
}

/// Replaces the live SQLite data with the staged copy's in one IMMEDIATE transaction: readers
/// see the old data or the new, never a mix, and a failure leaves the old data as it was.
/// Returns how many token revocations made after the backup were carried over (AS-14).
pub async fn into_sqlite(
    pool: &SqlitePool,
    verified: &Verified,
    dir: &Path,
    keep: Option<&KeepSession>,
) -> Result<u64, BackupError> {
    let (staged, tables) = stage_sqlite(verified, dir).await?;
    let _writer = crate::db::engine::tx::sqlite_writer().await;
    // A connection of its own, closed afterwards, so no pooled connection keeps the attachment.
    let mut conn = pool.acquire().await?.detach();
    sqlx::query("attach database ? as restored")
        .bind(staged.0.to_string_lossy().to_string())
        .execute(&mut conn)
        .await?;
    let outcome = replace_sqlite_rows(&mut conn, &tables, keep).await;
    let _ = sqlx::query("detach database restored").execute(&mut conn).await;
    if outcome.is_ok() {
        let _ = sqlx::query("pragma wal_checkpoint(truncate)").execute(&mut conn).await;
    }
    let _ = conn.close().await;
    outcome
}

async fn replace_sqlite_rows(
    conn: &mut sqlx::SqliteConnection,
    tables: &[Table],
    keep: Option<&KeepSession>,
) -> Result<u64, BackupError> {
    let mut tx = conn.begin_with("begin immediate").await?;
    sqlx::query("pragma defer_foreign_keys = on").execute(&mut *tx).await?;
    // A token revoked now must stay revoked whatever the backup says (AS-14).
    sqlx::query("create temp table kept_revocations as select token_hash, revoked_at from main.api_tokens where revoked_at is not null")
        .execute(&mut *tx)
        .await?;
    // Deleting users cascades to sessions, so the kept one waits in a temp table meanwhile.
    let sql = format!("create temp table kept_session as select {SESSION_COLUMNS} from main.sessions where id = ?");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(keep.map(|k| k.key.clone()).unwrap_or_default())
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from main.sessions").execute(&mut *tx).await?;
    // Indexes are dropped and built again after the rows are in: one sorted build per index is
    // far cheaper than keeping each up to date row by row.
    let indexes = container::drop_indexes(&mut tx, tables, "main").await?;
    for table in tables.iter().rev() {
        sqlx::query(sqlx::AssertSqlSafe(format!("delete from main.{}", quoted(&table.name)))).execute(&mut *tx).await?;
    }
    for table in tables {
        let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
        let (name, cols) = (quoted(&table.name), cols.join(", "));
        let sql = format!("insert into main.{name} ({cols}) select {cols} from restored.{name}");
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    container::rebuild_indexes(&mut tx, &indexes, "main").await?;
    restore_kept_session(&mut tx, keep).await?;
    let kept = sqlx::query(
        "update main.api_tokens set revoked_at = (select k.revoked_at from temp.kept_revocations k \
         where k.token_hash = api_tokens.token_hash) \
         where revoked_at is null and token_hash in (select token_hash from temp.kept_revocations)",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("drop table temp.kept_revocations").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(kept)
}

/// The kept session survives only if the restored users still hold its admin, by id and name.
async fn restore_kept_session(
    conn: &mut sqlx::SqliteConnection,
    keep: Option<&KeepSession>,
) -> Result<(), BackupError> {
    if let Some(k) = keep {
        let sql = format!(
            "insert into main.sessions ({SESSION_COLUMNS}) select {SESSION_COLUMNS} from temp.kept_session \
             where exists (select 1 from main.users where id = ? and username = ? and role = 'admin' and active)"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(k.user_id).bind(&k.username).execute(&mut *conn).await?;
    }
    sqlx::query("drop table temp.kept_session").execute(&mut *conn).await?;
    Ok(())
}

/// Loads the container into a new schema, then swaps it for `public` in one transaction and
/// drops the old one. Prepared statements on pooled connections are planned again on first use.
/// Returns how many token revocations made after the backup were carried over (AS-14).
pub async fn into_postgres(
    pool: &PgPool,
    verified: &Verified,
    keep: Option<&KeepSession>,
    progress: Progress<'_>,
) -> Result<u64, BackupError> {
    let stamp = Timestamp::now().unix();
    let (fresh, replaced) = (format!("backroom_restore_{stamp}"), format!("backroom_replaced_{stamp}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("create schema {fresh}"))).execute(pool).await?;
    let loaded = load_schema(pool, &fresh, verified, progress).await;
    if let Err(e) = loaded {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("drop schema if exists {fresh} cascade"))).execute(pool).await;
        return Err(e);
    }
    let mut tx = pool.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("alter schema public rename to {replaced}"))).execute(&mut *tx).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("alter schema {fresh} rename to public"))).execute(&mut *tx).await?;
    if let Some(k) = keep {
        let sql = format!(
            "insert into public.sessions ({SESSION_COLUMNS}) select {SESSION_COLUMNS} from {replaced}.sessions \
             where id = $1 and exists \
             (select 1 from public.users u where u.id = $2 and u.username = $3 and u.role = 'admin' and u.active)"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&k.key).bind(k.user_id).bind(&k.username).execute(&mut *tx).await?;
    }
    let sql = format!(
        "update public.api_tokens n set revoked_at = o.revoked_at from {replaced}.api_tokens o \
         where o.token_hash = n.token_hash and o.revoked_at is not null and n.revoked_at is null"
    );
    let kept = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?.rows_affected();
    // Swapping schemas fires no trigger: tell running servers everything changed (at commit).
    sqlx::query("select pg_notify($1, '- all')")
        .bind(crate::db::engine::change_feed::CHANNEL)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("drop schema {replaced} cascade"))).execute(pool).await?;
    Ok(kept)
}

/// Builds the restored database in `schema`: the backup's schema version, its rows, then the
/// remaining migrations and fresh statistics.
async fn load_schema(
    pool: &PgPool,
    schema: &str,
    verified: &Verified,
    progress: Progress<'_>,
) -> Result<(), BackupError> {
    let options = (*pool.connect_options())
        .clone()
        .options([("search_path", schema)])
        .log_slow_statements(log::LevelFilter::Off, std::time::Duration::ZERO);
    // One connection, so every statement (and the migrator's) runs in the restore's schema.
    let own = crate::db::engine::Db::postgres(PgPoolOptions::new().max_connections(1).connect_with(options).await?);
    let outcome = load_into(&own, verified, progress).await;
    own.close().await;
    outcome
}

async fn load_into(
    own: &crate::db::engine::Db,
    verified: &Verified,
    progress: Progress<'_>,
) -> Result<(), BackupError> {
    let crate::db::engine::Db::Postgres(pool, ..) = own else { return Err(BackupError::Db("not PostgreSQL".into())) };
    crate::db::engine::connect::migrate_to(own, verified.manifest.schema_version).await?;
    let tables = container::data_tables(&verified.container.0).await?;
    let mut pg = pool.acquire().await?;
    super::pg_copy_in::load(&verified.container.0, &mut pg, &tables, progress).await?;
    drop(pg);
    crate::db::engine::connect::migrate_to(own, crate::db::engine::connect::latest_schema_version()).await?;
    sqlx::query("analyze").execute(pool).await?;
    Ok(())
}
