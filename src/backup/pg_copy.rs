//! Loading a container's rows into PostgreSQL, each value made into its column's PostgreSQL
//! type (the way out is `pg_export`).
use futures_util::TryStreamExt;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::Connection;

use super::cells::{from_sqlite, to_kind, Cell, Kind};
use super::container::{quoted, Table};
use super::BackupError;

/// Rows per multi-row insert (bounded again by the engines' limits on bound values).
const BATCH_ROWS: usize = 500;

/// The PostgreSQL kinds of `table`'s columns, in the container's column order.
pub(super) async fn pg_kinds(conn: &mut PgConnection, table: &Table) -> Result<Vec<Kind>, BackupError> {
    let found: Vec<(String, String)> = sqlx::query_as(
        "select column_name::text, data_type::text from information_schema.columns \
         where table_schema = current_schema() and table_name = $1",
    )
    .bind(&table.name)
    .fetch_all(&mut *conn)
    .await?;
    table
        .columns
        .iter()
        .map(|c| {
            let (_, data_type) = found
                .iter()
                .find(|(name, _)| name == c)
                .ok_or_else(|| BackupError::Mismatch(format!("column {}.{c} is missing on PostgreSQL", table.name)))?;
            Kind::from_pg_type(data_type)
                .ok_or_else(|| BackupError::Mismatch(format!("column {}.{c} has unknown type {data_type}", table.name)))
        })
        .collect()
}

/// `insert into t (a, b) values (?, ?), (?, ?)` with the engine's placeholder style.
fn insert_sql(table: &Table, rows: usize, numbered: bool) -> String {
    let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
    let mut sql = format!("insert into {} ({}) values ", quoted(&table.name), cols.join(", "));
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..table.columns.len() {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push_str(&format!("${n}"));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

fn batch_rows(table: &Table, max_binds: usize) -> usize {
    (max_binds / table.columns.len().max(1)).clamp(1, BATCH_ROWS)
}

/// PostgreSQL wants a NULL of the column's own type.
async fn insert_pg(
    conn: &mut PgConnection,
    table: &Table,
    kinds: &[Kind],
    rows: Vec<Vec<Cell>>,
) -> Result<(), BackupError> {
    let sql = insert_sql(table, rows.len(), true);
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for (cell, kind) in row.into_iter().zip(kinds) {
            query = match (cell, kind) {
                (Cell::Null, Kind::Int) => query.bind(None::<i64>),
                (Cell::Null, Kind::Real) => query.bind(None::<f64>),
                (Cell::Null, Kind::Bool) => query.bind(None::<bool>),
                (Cell::Null, Kind::Time) => query.bind(None::<crate::model::Timestamp>),
                (Cell::Null, Kind::Json) => query.bind(None::<sqlx::types::Json<serde_json::Value>>),
                (cell, _) => crate::bind_cell!(query, cell),
            };
        }
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Loads every table of the container into PostgreSQL (the connection's current schema, at the
/// container's version), then moves identity sequences past the loaded ids.
pub async fn load(
    container: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
    progress: &(dyn Fn(&str, u64) + Sync),
) -> Result<(), BackupError> {
    let mut tx = pg.begin().await?;
    // Migrations seed some rows (default settings); the backup's rows replace them.
    for table in tables.iter().rev() {
        sqlx::query(sqlx::AssertSqlSafe(format!("delete from {}", quoted(&table.name)))).execute(&mut *tx).await?;
    }
    for table in tables {
        let kinds = pg_kinds(&mut tx, table).await?;
        let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
        let sql = format!("select {} from {}", cols.join(", "), quoted(&table.name));
        let per_batch = batch_rows(table, 60_000);
        let mut batch = Vec::with_capacity(per_batch);
        let mut copied = 0u64;
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *container);
        while let Some(row) = rows.try_next().await? {
            let mut cells = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                cells.push(to_kind(from_sqlite(&row, i)?, *kind, &table.columns[i]).map_err(BackupError::Mismatch)?);
            }
            batch.push(cells);
            if batch.len() == per_batch {
                copied += batch.len() as u64;
                insert_pg(&mut tx, table, &kinds, std::mem::take(&mut batch)).await?;
            }
        }
        drop(rows);
        copied += batch.len() as u64;
        if !batch.is_empty() {
            insert_pg(&mut tx, table, &kinds, batch).await?;
        }
        reset_identity(&mut tx, table).await?;
        progress(&table.name, copied);
    }
    tx.commit().await?;
    Ok(())
}

/// Sets an identity column's sequence to the largest loaded id, so new rows do not collide.
async fn reset_identity(conn: &mut PgConnection, table: &Table) -> Result<(), BackupError> {
    let identity: Option<String> = sqlx::query_scalar(
        "select column_name::text from information_schema.columns \
         where table_schema = current_schema() and table_name = $1 and is_identity = 'YES'",
    )
    .bind(&table.name)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(column) = identity {
        let sql = format!(
            "select setval(pg_get_serial_sequence($1, $2), coalesce(max({col}), 1), max({col}) is not null) from {t}",
            col = quoted(&column),
            t = quoted(&table.name)
        );
        let qualified = format!("{}.{}", current_schema(conn).await?, quoted(&table.name));
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(qualified).bind(column).execute(&mut *conn).await?;
    }
    Ok(())
}

async fn current_schema(conn: &mut PgConnection) -> Result<String, BackupError> {
    let schema: String = sqlx::query_scalar("select current_schema()::text").fetch_one(&mut *conn).await?;
    Ok(quoted(&schema))
}
