//! What the PostgreSQL side of a backup or restore asks of a table: its columns' kinds (the
//! export decodes by them) and, after a load, its identity moved past the loaded ids.
use sqlx::postgres::PgConnection;

use super::cells::Kind;
use super::container::{quoted, Table};
use super::BackupError;

/// The PostgreSQL data types of `table`'s columns (`information_schema` names), in the
/// container's column order.
pub(super) async fn column_types(conn: &mut PgConnection, table: &Table) -> Result<Vec<String>, BackupError> {
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
            found
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, data_type)| data_type.clone())
                .ok_or_else(|| BackupError::Mismatch(format!("column {}.{c} is missing on PostgreSQL", table.name)))
        })
        .collect()
}

/// The PostgreSQL kinds of `table`'s columns, in the container's column order.
pub(super) async fn pg_kinds(conn: &mut PgConnection, table: &Table) -> Result<Vec<Kind>, BackupError> {
    let types = column_types(conn, table).await?;
    let unknown = |t: &str| BackupError::Mismatch(format!("a column of {} has type {t}", table.name));
    types.iter().map(|t| Kind::from_pg_type(t).ok_or_else(|| unknown(t))).collect()
}

/// Sets an identity column's sequence to the largest loaded id, so new rows do not collide.
pub(super) async fn reset_identity(conn: &mut PgConnection, table: &Table) -> Result<(), BackupError> {
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
