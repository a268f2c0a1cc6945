//! A PostgreSQL backup's rows: every table read with `COPY … TO STDOUT (FORMAT binary)` inside
//! one read-only repeatable-read snapshot (BK-1), in primary-key order, and written into the
//! container by a blocking thread that inserts with one prepared statement per table and hashes
//! each row as it stores it. The server, this reader and the writer work at the same time.
use std::collections::BTreeMap;
use std::path::Path;

use futures_util::TryStreamExt;
use sqlx::postgres::PgConnection;
use sqlx::Connection;
use tokio::sync::mpsc::{channel, Receiver};

use super::cells::Kind;
use super::container::{quoted, Table, TableStat};
use super::pg_binary::CopyReader;
use super::pg_copy::pg_kinds;
use super::stored::TableHasher;
use super::BackupError;

/// What the reader hands the writer: the next table (its index and column kinds), then its bytes.
enum Feed {
    Table(usize, Vec<Kind>),
    Chunk(Vec<u8>),
}

/// PostgreSQL sends a message per row; the reader passes them on in chunks of about this many
/// bytes, so the writer thread is woken a few hundred times, not once per row.
const CHUNK_BYTES: usize = 256 * 1024;

/// Copies every table into the container at `path` (schema at the same version, indexes
/// dropped) and returns each table's row count and checksum over exactly what was stored.
/// Without a path it only counts and hashes (a restore's proof: nothing to keep).
pub async fn export(
    pg: &mut PgConnection,
    path: Option<&Path>,
    tables: &[Table],
    progress: &(dyn Fn(&str, u64) + Sync),
) -> Result<BTreeMap<String, TableStat>, BackupError> {
    let mut snapshot = pg.begin_with("begin isolation level repeatable read read only").await?;
    let mut kinds = Vec::with_capacity(tables.len());
    for table in tables {
        kinds.push(pg_kinds(&mut snapshot, table).await?);
    }
    let (sender, receiver) = channel(8);
    let writer = {
        let (path, tables) = (path.map(Path::to_path_buf), tables.to_vec());
        tokio::task::spawn_blocking(move || match path {
            Some(path) => write_container(&path, &tables, receiver),
            None => hash_only(&tables, receiver),
        })
    };
    // A writer that failed has dropped its end and left its error; each copy is still read to
    // its end so that the connection goes back to the pool usable.
    let mut writing = true;
    for (i, (table, kinds)) in tables.iter().zip(kinds).enumerate() {
        let sql = copy_sql(table, &kinds);
        writing = writing && sender.send(Feed::Table(i, kinds)).await.is_ok();
        let mut bytes = 0u64;
        let mut pending = Vec::with_capacity(CHUNK_BYTES * 2);
        let mut stream = snapshot.copy_out_raw(&sql).await?;
        while let Some(message) = stream.try_next().await? {
            bytes += message.len() as u64;
            pending.extend_from_slice(&message);
            if pending.len() >= CHUNK_BYTES {
                let full = std::mem::replace(&mut pending, Vec::with_capacity(CHUNK_BYTES * 2));
                writing = writing && sender.send(Feed::Chunk(full)).await.is_ok();
            }
        }
        drop(stream);
        writing = writing && sender.send(Feed::Chunk(pending)).await.is_ok();
        progress(&table.name, bytes);
    }
    drop(sender);
    let stats = writer.await.map_err(|e| BackupError::Io(format!("container writer failed: {e}")))??;
    snapshot.commit().await?;
    Ok(stats)
}

/// `copy (select … order by pk) to stdout (format binary)`; JSON columns as text.
fn copy_sql(table: &Table, kinds: &[Kind]) -> String {
    let cols: Vec<String> = table
        .columns
        .iter()
        .zip(kinds)
        .map(|(c, k)| if *k == Kind::Json { format!("{}::text", quoted(c)) } else { quoted(c) })
        .collect();
    let order: Vec<String> = table.primary_key.iter().map(|c| quoted(c)).collect();
    format!(
        "copy (select {} from {} order by {}) to stdout (format binary)",
        cols.join(", "),
        quoted(&table.name),
        order.join(", ")
    )
}

/// The writer thread: one transaction over the whole container.
fn write_container(
    path: &Path,
    tables: &[Table],
    mut feed: Receiver<Feed>,
) -> Result<BTreeMap<String, TableStat>, BackupError> {
    let mut conn = rusqlite::Connection::open(path)?;
    // Scratch until sealed: a crash discards the whole file, so no journal and no syncs.
    conn.execute_batch(
        "pragma journal_mode = off; pragma synchronous = off; pragma foreign_keys = off; \
         pragma cache_size = -32768",
    )?;
    let tx = conn.transaction()?;
    // Migrations seed some rows (default settings); the snapshot's rows replace them.
    for table in tables.iter().rev() {
        tx.execute(&format!("delete from {}", quoted(&table.name)), [])?;
    }
    let mut stats = BTreeMap::new();
    let mut current: Option<TableLoad> = None;
    while let Some(message) = feed.blocking_recv() {
        match message {
            Feed::Table(i, kinds) => {
                if let Some(done) = current.take() {
                    stats.insert(done.name.clone(), done.finish()?);
                }
                current = Some(TableLoad::new(&tx, &tables[i], kinds)?);
            }
            Feed::Chunk(bytes) => match current.as_mut() {
                Some(load) => load.feed(&bytes)?,
                None => return Err(BackupError::Db("COPY data before its table".into())),
            },
        }
    }
    if let Some(done) = current.take() {
        stats.insert(done.name.clone(), done.finish()?);
    }
    drop(current);
    if stats.len() != tables.len() {
        return Err(BackupError::Db("the export from PostgreSQL ended early".into()));
    }
    tx.commit()?;
    Ok(stats)
}

/// The proof's reader: counts and hashes each table's rows as the export would store them.
fn hash_only(tables: &[Table], mut feed: Receiver<Feed>) -> Result<BTreeMap<String, TableStat>, BackupError> {
    let mut stats = BTreeMap::new();
    let mut current: Option<(usize, CopyReader, TableHasher)> = None;
    let mut finish = |done: Option<(usize, CopyReader, TableHasher)>| -> Result<(), BackupError> {
        if let Some((i, reader, hasher)) = done {
            if !reader.is_complete() {
                return Err(BackupError::Db(format!("the copy of {} ended early", tables[i].name)));
            }
            stats.insert(tables[i].name.clone(), hasher.finish());
        }
        Ok(())
    };
    while let Some(message) = feed.blocking_recv() {
        match message {
            Feed::Table(i, kinds) => finish(current.replace((i, CopyReader::new(kinds), TableHasher::default())))?,
            Feed::Chunk(bytes) => match current.as_mut() {
                Some((_, reader, hasher)) => reader.feed(&bytes, |row| {
                    hasher.add(row);
                    Ok(())
                })?,
                None => return Err(BackupError::Db("COPY data before its table".into())),
            },
        }
    }
    finish(current.take())?;
    if stats.len() != tables.len() {
        return Err(BackupError::Db("the export from PostgreSQL ended early".into()));
    }
    Ok(stats)
}

/// One table being filled: its insert statement, the COPY decoder and the running checksum.
struct TableLoad<'c> {
    name: String,
    insert: rusqlite::Statement<'c>,
    reader: CopyReader,
    hasher: TableHasher,
}

impl<'c> TableLoad<'c> {
    fn new(conn: &'c rusqlite::Connection, table: &Table, kinds: Vec<Kind>) -> Result<Self, BackupError> {
        let cols: Vec<String> = table.columns.iter().map(|c| quoted(c)).collect();
        let marks = vec!["?"; cols.len()].join(", ");
        let sql = format!("insert into {} ({}) values ({marks})", quoted(&table.name), cols.join(", "));
        let insert = conn.prepare(&sql)?;
        Ok(Self { name: table.name.clone(), insert, reader: CopyReader::new(kinds), hasher: TableHasher::default() })
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), BackupError> {
        let (insert, hasher) = (&mut self.insert, &mut self.hasher);
        self.reader.feed(chunk, |row| {
            for (i, cell) in row.iter().enumerate() {
                insert.raw_bind_parameter(i + 1, cell)?;
            }
            insert.raw_execute()?;
            hasher.add(row);
            Ok(())
        })
    }

    fn finish(self) -> Result<TableStat, BackupError> {
        if !self.reader.is_complete() {
            return Err(BackupError::Db(format!("the copy of {} ended early", self.name)));
        }
        Ok(self.hasher.finish())
    }
}
