//! Running a `Sql` on a pool: the bind macros, row decoding on both engines, and the short
//! reads that go inline on SQLite (`inline`) before falling back to sqlx.
use super::inline::InlineRow;
use super::{Db, DbResult, Sql};

pub use crate::__bind_values as bind_values;
pub use crate::__execute_sql as execute_sql;

/// Binds every value of `$binds` onto a sqlx query (works for `query`, `query_as`, `query_scalar`).
#[doc(hidden)]
#[macro_export]
macro_rules! __bind_values {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for value in $binds {
            q = match value {
                $crate::db::engine::Value::Text(v) => q.bind(v),
                $crate::db::engine::Value::Int(v) => q.bind(v),
                $crate::db::engine::Value::Real(v) => q.bind(v),
                $crate::db::engine::Value::Bool(v) => q.bind(v),
                $crate::db::engine::Value::Time(v) => q.bind(v),
                $crate::db::engine::Value::OptText(v) => q.bind(v),
                $crate::db::engine::Value::OptInt(v) => q.bind(v),
                $crate::db::engine::Value::OptReal(v) => q.bind(v),
                $crate::db::engine::Value::OptTime(v) => q.bind(v),
                $crate::db::engine::Value::Json(v) => q.bind(v.map(sqlx::types::Json)),
            };
        }
        q
    }};
}

/// Executes a `Sql` statement on an executor (pool or `&mut *tx`); yields rows affected.
#[doc(hidden)]
#[macro_export]
macro_rules! __execute_sql {
    ($exec:expr, $sql:expr) => {{
        let sql: $crate::db::engine::Sql = $sql;
        $crate::db::engine::run::bind_values!($crate::db::engine::placeholders::query(sql.text), sql.binds)
            .execute($exec)
            .await?
            .rows_affected()
    }};
}

pub trait BothRows:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin
{
}
impl<T> BothRows for T where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}

/// Runs `sql` and decodes every row.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fetch_all<R: BothRows>(db: &Db, sql: Sql) -> DbResult<Vec<R>> {
    Ok(crate::db::engine::on_db!(db, |pool| crate::db::engine::run::bind_values!(
        super::placeholders::query_as::<_, R>(sql.text),
        sql.binds
    )
    .fetch_all(pool)
    .await?))
}

/// Runs `sql` and decodes the first row, if any.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fetch_optional<R: BothRows>(db: &Db, sql: Sql) -> DbResult<Option<R>> {
    Ok(crate::db::engine::on_db!(db, |pool| crate::db::engine::run::bind_values!(
        super::placeholders::query_as::<_, R>(sql.text),
        sql.binds
    )
    .fetch_optional(pool)
    .await?))
}

/// `fetch_all` for reads that take a few rows off an index (a page of a list, the links around
/// it): inline on SQLite (`db::engine::inline`), through sqlx when they run past the inline budget, and
/// always through sqlx on PostgreSQL.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn read_all<R: BothRows + InlineRow>(db: &Db, sql: Sql) -> DbResult<Vec<R>> {
    if let Db::Sqlite(_, inline, ..) = db {
        if let Some(rows) = inline.fetch_all(&sql)? {
            return Ok(rows);
        }
    }
    fetch_all(db, sql).await
}

/// `fetch_optional` for a lookup by key, as `read_all` runs it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn read_optional<R: BothRows + InlineRow>(db: &Db, sql: Sql) -> DbResult<Option<R>> {
    if let Db::Sqlite(_, inline, ..) = db {
        if let Some(row) = inline.fetch_optional(&sql)? {
            return Ok(row);
        }
    }
    fetch_optional(db, sql).await
}

/// `fetch_count` for a count over one key's index range, as `read_all` runs it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn read_count(db: &Db, sql: Sql) -> DbResult<i64> {
    if let Db::Sqlite(_, inline, ..) = db {
        if let Some(Some((n,))) = inline.fetch_optional::<(i64,)>(&sql)? {
            return Ok(n);
        }
    }
    fetch_count(db, sql).await
}

/// Runs a `select count(*) …`-style statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fetch_count(db: &Db, sql: Sql) -> DbResult<i64> {
    Ok(crate::db::engine::on_db!(db, |pool| crate::db::engine::run::bind_values!(
        super::placeholders::query_scalar::<_, i64>(sql.text),
        sql.binds
    )
    .fetch_one(pool)
    .await?))
}
