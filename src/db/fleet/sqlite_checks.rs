//! Storing health checks on SQLite (and finding the devices they name) through a rusqlite
//! connection of the check writer's own, on a thread of its own. Each check is one run of a prepared single-row insert: no JSON to
//! build and take apart again, no statement journal (a multi-row insert that may fail halfway
//! copies every page it touches to one first), and no round trip to a driver thread per
//! statement. The statements are the same text as on PostgreSQL in spirit; only the binding
//! differs, which is why this lives beside `health_ingest` and not in it.
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::db::engine::error::from_rusqlite;
use crate::db::engine::DbResult;
use crate::db::fleet::health_ingest::newest_per_device;
use crate::model::fleet::health_input::ValidCheck;
use crate::model::platform::time::Timestamp;

/// The page cache in KiB: the pages a commit of checks touches (the two check indexes, the
/// device rows and their last_seen indexes) stay in memory from one commit to the next. Checks
/// for a thousand devices touch about 4,400 pages; with half this cache, pages were spilled to
/// the WAL mid-transaction and read back, and a batch took 1.4x as long.
const CACHE_KIB: u32 = 16 * 1024;

const DEVICE_PK: &str = "select id from devices where device_id = ?1";
const INSERT_CHECK: &str = "insert into health_checks (device_id, is_healthy, response_time_ms, status_code, \
     endpoint, details, error_message, checked_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/// last_seen only moves forward, so a late check does not roll a device back.
const MOVE_LAST_SEEN: &str =
    "update devices set last_seen = ?2 where id = ?1 and (last_seen is null or last_seen < ?2)";
/// Status follows the newest check only, and is written only when it changes, so the status
/// indexes are left alone in the common case (online stays online).
const FOLLOW_STATUS: &str = "update devices set status = ?3 where id = ?1 and last_seen = ?2 and status <> ?3";

/// The check writer's connection.
pub struct SqliteCheckStore {
    conn: Connection,
}

impl SqliteCheckStore {
    /// Opens the database file with the pool's settings (WAL is already on: the pool set it).
    pub fn open(path: &Path) -> DbResult<Self> {
        let conn = Connection::open(path).map_err(from_rusqlite)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(from_rusqlite)?;
        conn.execute_batch(&format!(
            "pragma foreign_keys = on; pragma synchronous = normal; pragma trusted_schema = off; \
             pragma wal_autocheckpoint = 0; pragma cache_size = -{CACHE_KIB};"
        ))
        .map_err(from_rusqlite)?;
        Ok(Self { conn })
    }

    /// The primary keys of the devices named in `keys` that exist, read in one snapshot.
    pub fn device_pks(&mut self, keys: &[String]) -> DbResult<HashMap<String, i64>> {
        let tx = self.conn.transaction().map_err(from_rusqlite)?;
        let mut found = HashMap::with_capacity(keys.len());
        {
            let mut lookup = tx.prepare_cached(DEVICE_PK).map_err(from_rusqlite)?;
            for key in keys {
                if let Some(pk) = lookup.query_row([key], |row| row.get(0)).optional().map_err(from_rusqlite)? {
                    found.insert(key.clone(), pk);
                }
            }
        }
        tx.commit().map_err(from_rusqlite)?;
        Ok(found)
    }

    /// Stores `rows` and moves each device's last_seen and status forward (`live_since` as in
    /// `health_ingest::ingest`), in one IMMEDIATE transaction queued with the process's other
    /// writers. Nothing is stored if any row fails.
    pub fn store(&mut self, rows: &[(i64, ValidCheck)], live_since: Timestamp) -> DbResult<()> {
        let _writer = crate::db::engine::tx::sqlite_writer_blocking();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(from_rusqlite)?;
        {
            let mut insert = tx.prepare(INSERT_CHECK).map_err(from_rusqlite)?;
            for (device, check) in rows {
                let details = check.details.as_ref().map(|d| d.to_string());
                insert
                    .execute(params![
                        device,
                        check.is_healthy,
                        check.response_time_ms,
                        check.status_code,
                        check.endpoint,
                        details,
                        check.error_message,
                        check.checked_at.rfc3339(),
                    ])
                    .map_err(from_rusqlite)?;
            }
            let mut seen = tx.prepare(MOVE_LAST_SEEN).map_err(from_rusqlite)?;
            let mut status = tx.prepare(FOLLOW_STATUS).map_err(from_rusqlite)?;
            for (device, at, new_status) in newest_per_device(rows, live_since) {
                let at = at.rfc3339();
                seen.execute(params![device, at]).map_err(from_rusqlite)?;
                status.execute(params![device, at, new_status]).map_err(from_rusqlite)?;
            }
        }
        tx.commit().map_err(from_rusqlite)
    }
}
