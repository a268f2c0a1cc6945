//! Bulk writes for seeding and imports: multi-row inserts and many statements in one transaction.
use super::sql::{Sql, Value};
use super::{Db, DbResult};

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

/// Runs every statement in one transaction: all of them land, or none.
pub async fn run_in_one_tx(db: &Db, statements: Vec<Sql>) -> DbResult<()> {
    crate::in_tx!(db, |tx| {
        for sql in statements.iter().cloned() {
            crate::execute_sql!(&mut *tx, sql);
        }
    });
    Ok(())
}

/// After rows were written with explicit ids, moves PostgreSQL's identities past them (SQLite
/// needs nothing: it always takes max(id) + 1).
pub async fn sync_identities(db: &Db, tables: &[&str]) -> DbResult<()> {
    if let Db::Postgres(pool) = db {
        for table in tables {
            let sql = format!(
                "select setval(pg_get_serial_sequence('{table}', 'id'), coalesce((select max(id) from {table}), 1))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
        }
    }
    Ok(())
}
