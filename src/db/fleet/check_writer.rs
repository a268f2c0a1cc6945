//! Group commit for health checks on SQLite. SQLite takes one writer at a time, and each commit
//! writes every page it touched (the checks' indexes, the devices' last_seen indexes) to the WAL.
//! Batches that arrive while a commit runs are merged into the next transaction, so pages they
//! share are written once. Each caller is still answered only after the commit that holds its
//! rows, and a merged commit that fails is retried batch by batch, so a bad batch fails alone.
//! The writer is a thread with a connection of its own (`sqlite_checks`): in WAL mode a
//! connection drops its whole page cache whenever another one has committed, so commits
//! rotating over the pool always began cold, and a thread of its own runs the whole commit
//! without a hand-off per statement. The same thread looks up the devices a batch names: on the
//! pool, every lookup began with a cache the last commit had emptied. PostgreSQL takes
//! concurrent writers, so its batches go straight to `ingest`.
use std::collections::HashMap;
use std::path::PathBuf;

use tokio::sync::{mpsc, oneshot};

use crate::db::engine::{Db, DbError, DbResult};
use crate::db::fleet::health_ingest::{device_pks, ingest};
use crate::db::fleet::sqlite_checks::SqliteCheckStore;
use crate::model::fleet::health_input::ValidCheck;
use crate::model::fleet::liveness::live_since;
use crate::model::platform::time::Timestamp;

/// At most this many checks per merged transaction, so no caller waits behind a huge commit.
const MAX_GROUP_ROWS: usize = 16_000;
/// Batches waiting for the writer; a full queue makes callers wait (back pressure).
const QUEUE_LEN: usize = 64;

type Rows = Vec<(i64, ValidCheck)>;

struct Pending {
    rows: Rows,
    done: oneshot::Sender<DbResult<()>>,
}

/// What the writer thread is asked to do.
enum WriterTask {
    Store(Pending),
    /// The primary keys of these device_ids.
    Lookup {
        keys: Vec<String>,
        done: oneshot::Sender<DbResult<HashMap<String, i64>>>,
    },
}

/// Where the health API stores checks.
#[derive(Clone)]
pub struct CheckWriter {
    db: Db,
    queue: Option<mpsc::Sender<WriterTask>>,
    /// The freshness window (`liveness`): a check older than this at commit leaves its device
    /// offline.
    window_secs: i64,
}

impl CheckWriter {
    /// Starts the merging writer thread for a SQLite file; the thread ends when the last
    /// `CheckWriter` is dropped. An in-memory SQLite database is only reachable through its
    /// pool, so its checks go through `ingest` like PostgreSQL's.
    pub fn start(db: Db, window_secs: i64) -> Self {
        let file = match &db {
            Db::Sqlite(pool, ..) => Some(pool.connect_options().get_filename().to_path_buf()),
            Db::Postgres(..) => None,
        };
        let queue =
            file.filter(|path| path.to_str() != Some(":memory:")).and_then(|path| spawn_writer(path, window_secs));
        Self { db, queue, window_secs }
    }

    /// Stores `rows` (each device's last_seen and status follow), returning once committed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn write(&self, rows: Rows) -> DbResult<()> {
        if self.db.generations().writes_paused() {
            return Err(DbError::Paused);
        }
        let Some(queue) = &self.queue else {
            return ingest(&self.db, &rows, live_since(Timestamp::now(), self.window_secs)).await;
        };
        let (done, answer) = oneshot::channel();
        queue.send(WriterTask::Store(Pending { rows, done })).await.map_err(|_| DbError::Unavailable)?;
        answer.await.map_err(|_| DbError::Unavailable)?
    }

    /// The primary keys of the devices named in `keys` that exist (archived or not).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn device_pks(&self, keys: &[&str]) -> DbResult<HashMap<String, i64>> {
        let Some(queue) = &self.queue else { return device_pks(&self.db, keys).await };
        let (done, answer) = oneshot::channel();
        let keys = keys.iter().map(|k| k.to_string()).collect();
        queue.send(WriterTask::Lookup { keys, done }).await.map_err(|_| DbError::Unavailable)?;
        answer.await.map_err(|_| DbError::Unavailable)?
    }
}

/// The writer thread and the queue to it; `None` (checks then go through the pool) only if the
/// system refuses a thread.
fn spawn_writer(path: PathBuf, window_secs: i64) -> Option<mpsc::Sender<WriterTask>> {
    let (sender, receiver) = mpsc::channel(QUEUE_LEN);
    let writer = Writer { path, store: None, window_secs };
    match std::thread::Builder::new().name("check-writer".into()).spawn(move || run(writer, receiver)) {
        Ok(_) => Some(sender),
        Err(e) => {
            tracing::error!(%e, "cannot start the health-check writer thread");
            None
        }
    }
}

/// The SQLite writer: its database file, and its connection once opened.
struct Writer {
    path: PathBuf,
    store: Option<SqliteCheckStore>,
    window_secs: i64,
}

impl Writer {
    /// Stores `rows` in one transaction, judging freshness at the time of the commit.
    fn store(&mut self, rows: &[(i64, ValidCheck)]) -> DbResult<()> {
        let since = live_since(Timestamp::now(), self.window_secs);
        self.with_store(|store| store.store(rows, since))
    }

    /// Runs `work` on the connection, opening it when needed; a connection whose work failed is
    /// closed, so the next job starts clean.
    fn with_store<T>(&mut self, work: impl FnOnce(&mut SqliteCheckStore) -> DbResult<T>) -> DbResult<T> {
        let mut store = match self.store.take() {
            Some(store) => store,
            None => SqliteCheckStore::open(&self.path)?,
        };
        let outcome = work(&mut store);
        if outcome.is_ok() {
            self.store = Some(store);
        }
        outcome
    }

    /// Answers a lookup at once: it is short, and the batch that asked waits for it.
    fn look_up(&mut self, keys: Vec<String>, done: oneshot::Sender<DbResult<HashMap<String, i64>>>) {
        let _ = done.send(self.with_store(|store| store.device_pks(&keys)));
    }
}

fn run(mut writer: Writer, mut queue: mpsc::Receiver<WriterTask>) {
    while let Some(job) = queue.blocking_recv() {
        let first = match job {
            WriterTask::Store(first) => first,
            WriterTask::Lookup { keys, done } => {
                writer.look_up(keys, done);
                continue;
            }
        };
        let mut rows = first.rows.len();
        let mut group = vec![first];
        while rows < MAX_GROUP_ROWS {
            match queue.try_recv() {
                Ok(WriterTask::Store(next)) => {
                    rows += next.rows.len();
                    group.push(next);
                }
                Ok(WriterTask::Lookup { keys, done }) => writer.look_up(keys, done),
                Err(_) => break,
            }
        }
        commit(&mut writer, group);
    }
}

/// One transaction for the whole group; if it fails, one per batch, each answered with its own.
fn commit(writer: &mut Writer, group: Vec<Pending>) {
    if group.len() == 1 {
        for pending in group {
            let _ = pending.done.send(writer.store(&pending.rows));
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
    if writer.store(&all).is_ok() {
        for (_, done) in answers {
            let _ = done.send(Ok(()));
        }
        return;
    }
    for (range, done) in answers {
        let _ = done.send(writer.store(&all[range]));
    }
}
