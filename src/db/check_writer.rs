//! Group commit for health checks on SQLite. SQLite takes one writer at a time, and each commit
//! writes every page it touched (the checks' indexes, the devices' last_seen indexes) to the WAL.
//! Batches that arrive while a commit runs are merged into the next transaction, so pages they
//! share are written once. Each caller is still answered only after the commit that holds its
//! rows, and a merged commit that fails is retried batch by batch, so a bad batch fails alone.
//! The writer keeps a connection of its own: in WAL mode a connection drops its whole page cache
//! whenever another one has committed, so commits rotating over the pool always began cold.
//! PostgreSQL takes concurrent writers, so its batches go straight to `ingest`.
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use super::health_ingest::{ingest, ingest_on};
use super::{Db, DbError, DbResult};
use crate::model::health_input::ValidCheck;

/// At most this many checks per merged transaction, so no caller waits behind a huge commit.
const MAX_GROUP_ROWS: usize = 16_000;
/// Batches waiting for the writer; a full queue makes callers wait (back pressure).
const QUEUE_LEN: usize = 64;
/// The writer's page cache in KiB: the pages a commit of checks touches (the two check indexes,
/// device rows and their last_seen indexes) stay in memory from one commit to the next.
const WRITER_CACHE_KIB: u32 = 16 * 1024;

type Rows = Vec<(i64, ValidCheck)>;

struct Pending {
    rows: Rows,
    done: oneshot::Sender<DbResult<()>>,
}

/// Where the health API stores checks.
#[derive(Clone)]
pub struct CheckWriter {
    db: Db,
    queue: Option<mpsc::Sender<Pending>>,
}

impl CheckWriter {
    /// Starts the merging writer task for SQLite (call inside the runtime that serves requests).
    pub fn start(db: Db) -> Self {
        let queue = match &db {
            Db::Sqlite(pool) => {
                let (sender, receiver) = mpsc::channel(QUEUE_LEN);
                let options = (*pool.connect_options()).clone().pragma("cache_size", format!("-{WRITER_CACHE_KIB}"));
                tokio::spawn(run(Writer { db: db.clone(), options, conn: None }, receiver));
                Some(sender)
            }
            Db::Postgres(_) => None,
        };
        Self { db, queue }
    }

    /// Stores `rows` (each device's last_seen and status follow), returning once committed.
    pub async fn write(&self, rows: Rows) -> DbResult<()> {
        let Some(queue) = &self.queue else { return ingest(&self.db, &rows).await };
        let (done, answer) = oneshot::channel();
        queue.send(Pending { rows, done }).await.map_err(|_| DbError::Unavailable)?;
        answer.await.map_err(|_| DbError::Unavailable)?
    }
}

/// The SQLite writer: its database, and its own connection once opened.
struct Writer {
    db: Db,
    options: SqliteConnectOptions,
    conn: Option<SqliteConnection>,
}

impl Writer {
    /// Stores `rows` in one transaction on the writer's connection, opening it when needed; a
    /// connection whose transaction failed is closed, so the next one starts clean.
    async fn ingest(&mut self, rows: &[(i64, ValidCheck)]) -> DbResult<()> {
        let mut conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.options.connect().await?,
        };
        let outcome = ingest_on(&mut conn, &self.db, rows).await;
        if outcome.is_ok() {
            self.conn = Some(conn);
        }
        outcome
    }
}

async fn run(mut writer: Writer, mut queue: mpsc::Receiver<Pending>) {
    while let Some(first) = queue.recv().await {
        let mut rows = first.rows.len();
        let mut group = vec![first];
        while rows < MAX_GROUP_ROWS {
            match queue.try_recv() {
                Ok(next) => {
                    rows += next.rows.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        commit(&mut writer, group).await;
    }
}

/// One transaction for the whole group; if it fails, one per batch, each answered with its own.
async fn commit(writer: &mut Writer, group: Vec<Pending>) {
    if group.len() == 1 {
        for pending in group {
            let outcome = writer.ingest(&pending.rows).await;
            let _ = pending.done.send(outcome);
        }
        return;
    }
    let mut all = Vec::with_capacity(group.iter().map(|p| p.rows.len()).sum());
    let mut answers = Vec::with_capacity(group.len());
    for pending in group {
        let start = all.len();
        all.extend(pending.rows);
        answers.push((start..all.len(), pending.done));
    }
    if writer.ingest(&all).await.is_ok() {
        for (_, done) in answers {
            let _ = done.send(Ok(()));
        }
        return;
    }
    for (range, done) in answers {
        let _ = done.send(writer.ingest(&all[range]).await);
    }
}
