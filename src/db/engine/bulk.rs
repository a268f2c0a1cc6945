//! Bulk writes for seeding and imports: multi-row inserts and many statements in one transaction.
use crate::db::engine::generations::Domain;
use crate::db::engine::{sql::Sql, sql::Value};
use crate::db::engine::{Db, DbResult, Tx};

/// Rows per multi-row insert: well under both engines' bound-parameter limits.
const BATCH: usize = 500;

/// Column orders of the fleet tables' bulk inserts.
pub const SITE_COLUMNS: &[&str] =
    &["id", "site_id", "name", "description", "location", "archived", "created_at", "updated_at"];
pub const DEVICE_COLUMNS: &[&str] = &[
    "id",
    "device_id",
    "name",
    "device_type",
    "site_id",
    "status",
    "ip_address",
    "mac_address",
    "firmware_version",
    "last_seen",
    "config",
    "active",
    "created_at",
    "updated_at",
];
pub const CHECK_COLUMNS: &[&str] =
    &["id", "device_id", "is_healthy", "response_time_ms", "status_code", "endpoint", "checked_at"];

/// A table's rows to insert, as bound values in column order.
pub struct Rows {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub values: Vec<Vec<Value>>,
}

impl Rows {
    pub fn statements(&self) -> Vec<Sql> {
        self.values
            .chunks(BATCH)
            .map(|chunk| {
                let mut sql = Sql::new(&format!("insert into {} ({}) values ", self.table, self.columns.join(", ")));
                for (i, row) in chunk.iter().enumerate() {
                    sql.push(if i == 0 { "(" } else { ", (" });
                    for (j, value) in row.iter().enumerate() {
                        if j > 0 {
                            sql.push(", ");
                        }
                        sql.bind(value.clone());
                    }
                    sql.push(")");
                }
                sql
            })
            .collect()
    }
}

/// Inserts `values` into `table` on the open transaction, as multi-row statements.
pub async fn write_rows(
    tx: &mut Tx,
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Vec<Value>>,
) -> DbResult<()> {
    for sql in (Rows { table, columns, values }).statements() {
        tx.execute(sql).await?;
    }
    Ok(())
}

/// Runs every statement in one transaction: all of them land, or none.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run_in_one_tx(db: &Db, statements: Vec<Sql>, changes: &[Domain]) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    for domain in changes {
        tx.changes(*domain);
    }
    for sql in statements {
        tx.execute(sql).await?;
    }
    tx.commit().await
}

/// After rows were written with explicit ids, moves PostgreSQL's identities past them (SQLite
/// needs nothing: it always takes max(id) + 1).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sync_identities(db: &Db, tables: &[&str]) -> DbResult<()> {
    if let Db::Postgres(pool, ..) = db {
        for table in tables {
            let sql = format!(
                "select setval(pg_get_serial_sequence('{table}', 'id'), coalesce((select max(id) from {table}), 1))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
        }
    }
    Ok(())
}

/// After a bulk load: PostgreSQL plans from statistics that autovacuum refreshes only a minute
/// or so later, and until then it misjudges prefix searches over the new rows by 40× (a device
/// search walked 100,000 rows: 97 ms, then 0.5 ms after ANALYZE). SQLite keeps its planner's
/// defaults, which the list queries are tuned for.
pub async fn refresh_statistics_after_bulk_load(db: &Db) -> DbResult<()> {
    if let Db::Postgres(pool, ..) = db {
        sqlx::query("analyze").execute(pool).await?;
    }
    Ok(())
}

/// After seeding: PostgreSQL also VACUUMs, which sets the visibility map. Until then an
/// index-only scan (the sites table's per-site facts) still reads the heap row of every entry,
/// and autovacuum would start on its own a while later, beside whatever runs next. VACUUM
/// cannot run in a transaction, hence the simple protocol.
pub async fn vacuum_after_seed(db: &Db) -> DbResult<()> {
    if let Db::Postgres(pool, ..) = db {
        sqlx::raw_sql("vacuum (analyze)").execute(pool).await?;
    }
    Ok(())
}
