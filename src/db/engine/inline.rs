//! Short reads on SQLite, run on the calling thread through rusqlite. sqlx hands each statement
//! to a thread per connection and each row back over a channel; on a devices page those
//! hand-offs (futex wakes and context switches on both sides) took more of the server's CPU
//! than SQLite's own work. A read here may do `BUDGET` of work on the runtime thread at most:
//! past that SQLite interrupts it and the caller runs it again through sqlx, whose threads are
//! not the runtime's, so a slow filter never holds up other requests. The budget counts the
//! thread's CPU time, not the clock: under load the kernel preempts a thread for a few
//! milliseconds at a time, and a clock budget then sent short statements the long way round
//! (run twice, and the slowest requests slower still).
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ffi, Connection, OpenFlags};

use crate::db::engine::{sql::Sql, sql::Value};
use crate::db::engine::{DbError, DbResult};
use crate::model::platform::time::Timestamp;

/// How much CPU time one inline statement may take before it is handed to sqlx instead.
const BUDGET: Duration = Duration::from_millis(2);
/// SQLite calls the progress handler every this many virtual-machine steps (a few µs).
const STEPS_PER_CHECK: i32 = 1_000;
/// Connections kept open; more are opened when requests overlap and closed when returned.
const MAX_IDLE: usize = 4;
/// Each connection's page cache in KiB (as the pool's, see `connect`).
const CACHE_KIB: u32 = 1024;
/// Prepared statements each connection keeps (the lists' shapes, sessions, users).
const STATEMENT_CACHE: usize = 64;

/// Inline readers of one SQLite file; cheap to clone.
#[derive(Clone)]
pub struct InlineReads {
    inner: Arc<Inner>,
}

struct Inner {
    /// `None` for an in-memory database, which only its pool can reach: every read goes there.
    path: Option<PathBuf>,
    idle: Mutex<Vec<Reader>>,
}

struct Reader {
    conn: Connection,
    /// When the running statement must stop: the calling thread's CPU time, in nanoseconds.
    deadline: Arc<AtomicU64>,
}

/// The CPU time the calling thread has used, in nanoseconds. A statement runs on the thread
/// that set its deadline, so its progress handler reads the same clock.
fn thread_cpu_nanos() -> u64 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let secs = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(now.tv_nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

impl std::fmt::Debug for InlineReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineReads").field("path", &self.inner.path).finish()
    }
}

impl InlineReads {
    /// Readers for the database file at `path` (opened on first use).
    pub fn new(path: &Path) -> Self {
        let path = (path.to_str() != Some(":memory:")).then(|| path.to_path_buf());
        Self { inner: Arc::new(Inner { path, idle: Mutex::new(Vec::new()) }) }
    }

    /// Every row of `sql`, or `None` when it ran past the budget (run it through sqlx then).
    pub fn fetch_all<R: InlineRow>(&self, sql: &Sql) -> DbResult<Option<Vec<R>>> {
        self.run(sql, |rows| {
            let layout = layout::<R>(rows)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(R::from_inline(row, &layout)?);
            }
            Ok(out)
        })
    }

    /// The first row of `sql` if any, or `None` when it ran past the budget.
    pub fn fetch_optional<R: InlineRow>(&self, sql: &Sql) -> DbResult<Option<Option<R>>> {
        self.run(sql, |rows| {
            let layout = layout::<R>(rows)?;
            rows.next()?.map(|row| R::from_inline(row, &layout)).transpose()
        })
    }

    fn run<T>(
        &self,
        sql: &Sql,
        read: impl FnOnce(&mut rusqlite::Rows<'_>) -> rusqlite::Result<T>,
    ) -> DbResult<Option<T>> {
        let Some(reader) = self.take()? else { return Ok(None) };
        reader.deadline.store(thread_cpu_nanos() + BUDGET.as_nanos() as u64, Ordering::Relaxed);
        let outcome = query(&reader.conn, sql, read);
        reader.deadline.store(u64::MAX, Ordering::Relaxed);
        match outcome {
            Ok(value) => {
                self.give_back(reader);
                Ok(Some(value))
            }
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) => {
                self.give_back(reader);
                Ok(None)
            }
            Err(e) => Err(DbError::Driver(e)),
        }
    }

    fn take(&self) -> DbResult<Option<Reader>> {
        let Some(path) = &self.inner.path else { return Ok(None) };
        let idle = self.inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(reader) => Ok(Some(reader)),
            None => open(path).map(Some).map_err(DbError::Driver),
        }
    }

    fn give_back(&self, reader: Reader) {
        let mut idle = self.inner.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(reader);
        }
    }
}

fn query<T>(
    conn: &Connection,
    sql: &Sql,
    read: impl FnOnce(&mut rusqlite::Rows<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let mut statement = conn.prepare_cached(&crate::db::engine::placeholders::anonymous(sql.text.clone()))?;
    for (i, value) in sql.binds.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, value)?;
    }
    let mut rows = statement.raw_query();
    read(&mut rows)
}

/// A read-only connection whose statements stop at their reader's deadline.
fn open(path: &Path) -> rusqlite::Result<Reader> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch(&format!("pragma trusted_schema = off; pragma cache_size = -{CACHE_KIB};"))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let deadline = Arc::new(AtomicU64::new(u64::MAX));
    let watch = Arc::clone(&deadline);
    conn.progress_handler(STEPS_PER_CHECK, Some(move || thread_cpu_nanos() > watch.load(Ordering::Relaxed)))?;
    Ok(Reader { conn, deadline })
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Owned;
        let null = ToSqlOutput::Owned(Owned::Null);
        Ok(match self {
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Int(v) => ToSqlOutput::Owned(Owned::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Owned(Owned::Real(*v)),
            Value::Bool(v) => ToSqlOutput::Owned(Owned::Integer(i64::from(*v))),
            Value::Time(v) => ToSqlOutput::Owned(Owned::Text(v.rfc3339())),
            Value::OptText(v) => v.as_deref().map_or(null, |t| ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes()))),
            Value::OptInt(v) => v.map_or(null, |n| ToSqlOutput::Owned(Owned::Integer(n))),
            Value::OptReal(v) => v.map_or(null, |n| ToSqlOutput::Owned(Owned::Real(n))),
            Value::OptTime(v) => v.map_or(null, |t| ToSqlOutput::Owned(Owned::Text(t.rfc3339()))),
            Value::Json(v) => v.as_ref().map_or(null, |j| ToSqlOutput::Owned(Owned::Text(j.to_string()))),
        })
    }
}

/// A row that can be read off a rusqlite row, as `sqlx::FromRow` reads it off sqlx's.
pub trait InlineRow: Sized {
    /// Where each field's column is in `statement`, found once per query: finding a column by
    /// name compares it with every column name, and per row that was a twentieth of a page view.
    fn layout(statement: &rusqlite::Statement<'_>) -> rusqlite::Result<Vec<usize>>;
    fn from_inline(row: &rusqlite::Row<'_>, layout: &[usize]) -> rusqlite::Result<Self>;
}

fn layout<R: InlineRow>(rows: &rusqlite::Rows<'_>) -> rusqlite::Result<Vec<usize>> {
    rows.as_ref().map_or(Ok(Vec::new()), R::layout)
}

/// The column index for the next field of a row read with `layout`.
pub fn next_column(layout: &mut std::slice::Iter<'_, usize>) -> rusqlite::Result<usize> {
    layout.next().copied().ok_or(rusqlite::Error::InvalidColumnIndex(usize::MAX))
}

/// A column value decoded as sqlx decodes it on SQLite.
pub trait InlineValue: Sized {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String>;
}

/// The column at `index` (or named `index`) of `row` as `T`.
pub fn column<T: InlineValue>(row: &rusqlite::Row<'_>, index: impl rusqlite::RowIndex) -> rusqlite::Result<T> {
    let value = row.get_ref(index)?;
    T::from_value(value)
        .map_err(|message| rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_MISMATCH), Some(message)))
}

fn text(value: ValueRef<'_>) -> Result<&str, String> {
    match value {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).map_err(|e| e.to_string()),
        other => Err(format!("expected text, found {:?}", other.data_type())),
    }
}

impl InlineValue for i64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        value.as_i64().map_err(|e| e.to_string())
    }
}

impl InlineValue for f64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Integer(n) => Ok(n as f64),
            other => other.as_f64().map_err(|e| e.to_string()),
        }
    }
}

impl InlineValue for bool {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        value.as_i64().map(|n| n != 0).map_err(|e| e.to_string())
    }
}

impl InlineValue for String {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        text(value).map(str::to_string)
    }
}

impl InlineValue for Timestamp {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        let text = text(value)?;
        Timestamp::parse(text).ok_or_else(|| format!("not an RFC 3339 time: {text}"))
    }
}

impl InlineValue for sqlx::types::Json<serde_json::Value> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        serde_json::from_str(text(value)?).map(sqlx::types::Json).map_err(|e| e.to_string())
    }
}

impl<T: InlineValue> InlineValue for Option<T> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

macro_rules! tuple_rows {
    ($($name:ident $index:tt),+) => {
        impl<$($name: InlineValue),+> InlineRow for ($($name,)+) {
            fn layout(_: &rusqlite::Statement<'_>) -> rusqlite::Result<Vec<usize>> {
                Ok(Vec::new())
            }

            fn from_inline(row: &rusqlite::Row<'_>, _: &[usize]) -> rusqlite::Result<Self> {
                Ok(($(column::<$name>(row, $index)?,)+))
            }
        }
    };
}
tuple_rows!(A 0);
tuple_rows!(A 0, B 1);
tuple_rows!(A 0, B 1, C 2);
tuple_rows!(A 0, B 1, C 2, D 3);
tuple_rows!(A 0, B 1, C 2, D 3, E 4);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

pub use crate::__inline_row as inline_row;
pub use crate::__row as row;

/// Declares a row struct whose fields are listed once: it decodes through sqlx on both engines
/// (`FromRow`) and through the inline reader (`InlineRow`), by the same column names.
#[doc(hidden)]
#[macro_export]
macro_rules! __row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(sqlx::FromRow)]
        $vis struct $name { $($(#[$fmeta])* $fvis $field: $ty),* }
        $crate::db::engine::inline::inline_row!($name { $($field),* });
    };
}

/// Implements `InlineRow` for a struct whose fields are named as the query's columns; the
/// field list is checked by the compiler (every field, once).
#[doc(hidden)]
#[macro_export]
macro_rules! __inline_row {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::db::engine::inline::InlineRow for $ty {
            fn layout(statement: &rusqlite::Statement<'_>) -> rusqlite::Result<Vec<usize>> {
                Ok(vec![$(statement.column_index(stringify!($field))?),*])
            }

            // Fields are read in the order written, which is the order `layout` found them in.
            fn from_inline(row: &rusqlite::Row<'_>, layout: &[usize]) -> rusqlite::Result<Self> {
                let mut at = layout.iter();
                Ok(Self { $($field: $crate::db::engine::inline::column(row, $crate::db::engine::inline::next_column(&mut at)?)?),* })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_clock_counts_work_and_not_time_off_the_cpu() {
        let start = thread_cpu_nanos();
        std::thread::sleep(Duration::from_millis(30));
        let asleep = thread_cpu_nanos() - start;
        assert!(asleep < 10_000_000, "30 ms asleep took {asleep} ns of this thread's CPU time");

        let (start, wall) = (thread_cpu_nanos(), std::time::Instant::now());
        while thread_cpu_nanos() - start < 5_000_000 && wall.elapsed() < Duration::from_secs(5) {
            std::hint::black_box(start);
        }
        let busy = thread_cpu_nanos() - start;
        assert!(busy >= 5_000_000, "busy for {:?} took only {busy} ns of CPU time", wall.elapsed());
    }
}
