//! One process at a time serves a SQLite file, or writes to it in bulk from the CLI (seed,
//! import, restore, maintenance). A second server would run with caches that the first one's
//! writes make stale (SQLite has no change notices), and a bulk write under a running server
//! would leave its counts wrong, so both stop with a message instead. The lock is an OS file
//! lock on `<database>.lock`, which the OS releases when its process ends, however it ends;
//! the file holds the holder's pid for the message. PostgreSQL needs none of this.
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;

use fs4::fs_std::FileExt;

use super::Db;

/// What the lock is for, to say so to whoever finds it taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Server,
    Command,
}

/// Held while it lives; dropping it (or the process ending) frees the file.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// The lock file of a SQLite database, `None` on PostgreSQL.
pub fn lock_path(db: &Db) -> Option<PathBuf> {
    match db {
        Db::Sqlite(pool, ..) => {
            let mut path = pool.connect_options().get_filename().as_os_str().to_owned();
            path.push(".lock");
            Some(PathBuf::from(path))
        }
        Db::Postgres(..) => None,
    }
}

/// Takes `db`'s file lock for `holder`, or says who has it. `Ok(None)` on PostgreSQL.
pub fn take(db: &Db, holder: Holder) -> Result<Option<FileLock>, String> {
    let Some(path) = lock_path(db) else { return Ok(None) };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    // fs4 rather than std's `File::try_lock`, which is newer than this crate's minimum Rust.
    match FileExt::try_lock_exclusive(&file) {
        Ok(true) => {
            let pid = std::process::id().to_string();
            let written = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| file.write_all(pid.as_bytes()));
            if let Err(e) = written {
                tracing::warn!(error = %e, path = %path.display(), "cannot write the pid into the lock file");
            }
            Ok(Some(FileLock { _file: file }))
        }
        Ok(false) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            Err(taken_message(&path, pid.trim(), holder))
        }
        Err(e) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}

fn taken_message(path: &std::path::Path, pid: &str, holder: Holder) -> String {
    let database = path.with_extension("");
    let who = if pid.chars().all(|c| c.is_ascii_digit()) && !pid.is_empty() {
        format!("process {pid}")
    } else {
        "another process".to_string()
    };
    match holder {
        Holder::Server => format!(
            "{who} is already using the SQLite database {} (a running server, or an import or restore). \
             A SQLite file is served by one server at a time: stop the other one first, or run several \
             servers on PostgreSQL (README: Running several servers).",
            database.display()
        ),
        Holder::Command => format!(
            "{who} is using the SQLite database {} (most likely a running server). Stop it first, \
             or do this through the web pages, so the server's cached totals stay right.",
            database.display()
        ),
    }
}
