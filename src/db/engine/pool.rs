//! `Db`: a pool on one of the two engines, and `on_db!`, which runs one body on either.
use sqlx::{PgPool, SqlitePool};

use std::sync::Arc;

use super::generations::Generations;
use super::{inline, inline_write};

/// A connection pool on one of the two engines. SQLite also has inline readers for short reads
/// and a connection of its own for short writes.
/// Both carry the generations of this database's caches, which its writes move on commit.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, inline::InlineReads, Arc<Generations>, inline_write::InlineWriter),
    Postgres(PgPool, Arc<Generations>),
}

impl Db {
    /// A SQLite pool with inline readers of its file.
    pub fn sqlite(pool: SqlitePool) -> Self {
        let file = pool.connect_options().get_filename().to_path_buf();
        Db::Sqlite(pool, inline::InlineReads::new(&file), Arc::default(), inline_write::InlineWriter::new(&file))
    }

    pub fn postgres(pool: PgPool) -> Self {
        Db::Postgres(pool, Arc::new(Generations::shared()))
    }

    /// The generations of this database's cached counts (see `counts`).
    pub fn generations(&self) -> &Arc<Generations> {
        match self {
            Db::Sqlite(_, _, g, _) | Db::Postgres(_, g) => g,
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(..) => "postgres",
        }
    }

    /// The clause a read-modify-write transaction ends its read with, so no other writer can
    /// change the row between the read and the write: ` for update` on PostgreSQL (READ
    /// COMMITTED would let two transactions read the same value); nothing on SQLite, whose
    /// write transactions begin IMMEDIATE and so run one at a time.
    pub fn lock_for_update(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "",
            Db::Postgres(..) => " for update",
        }
    }

    /// Pool connections (in use, idle), for `/metrics`.
    pub fn pool_state(&self) -> (usize, usize) {
        let (size, idle) = match self {
            Db::Sqlite(p, ..) => (p.size() as usize, p.num_idle()),
            Db::Postgres(p, ..) => (p.size() as usize, p.num_idle()),
        };
        (size.saturating_sub(idle), idle)
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p, ..) => p.close().await,
            Db::Postgres(p, ..) => p.close().await,
        }
    }
}

/// Runs the same body against whichever pool `db` holds; `$pool` names the concrete pool.
#[doc(hidden)]
#[macro_export]
macro_rules! __on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::engine::Db::Sqlite($pool, ..) => $body,
            $crate::db::engine::Db::Postgres($pool, ..) => $body,
        }
    };
}
