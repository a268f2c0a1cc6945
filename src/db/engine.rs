//! The engine room: `Db` over native SQLite and PostgreSQL pools and how one statement text
//! runs on both. Layers point one way: `sql` (text and values) → `placeholders` → `inline`
//! (SQLite reads on the calling thread) and `inline_write` (short SQLite writes, likewise) → `pool` → `run` and `tx` → `keyset`, `counts`,
//! `bulk`, `connect`. Beside them: `generations` (what caches follow), `change_feed` (the
//! notices between servers), `leader` (which server runs the background work), `cluster_lock` (work one server at a
//! time does, such as a restore) and `file_lock`
//! (one process per SQLite file). The domain rooms (`platform`, `fleet`, `admin`) build on it.
pub mod bulk;
pub mod change_feed;
pub mod checkpoint;
pub mod cluster_lock;
pub mod connect;
pub mod count_keys;
pub mod counts;
pub mod error;
pub mod facets;
pub mod file_lock;
pub mod generations;
mod id_counts;
pub mod inline;
pub mod inline_write;
pub mod joined;
pub mod json_rows;
pub mod keyset;
pub mod leader;
pub mod placeholders;
pub mod pool;
pub mod remembered;
pub mod run;
pub mod sql;
pub mod tx;

/// `on_db!(db, |pool| body)`: the body once per engine, `pool` the concrete pool.
pub use crate::__on_db as on_db;
pub use error::{DbError, DbResult};
pub use pool::Db;
pub use sql::{Sql, Value};
pub use tx::Tx;

/// Lower-case hex SHA-256: how session ids and API tokens are stored (never in clear).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
