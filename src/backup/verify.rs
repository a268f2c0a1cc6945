//! Checking a backup file before it is trusted (BK-3, BK-5): it must decompress completely, be
//! a SQLite database that passes its integrity and foreign-key checks, carry a Backroom manifest
//! for a schema this build knows, and hold exactly the rows and checksums the manifest lists.
use std::io::Read;
use std::path::{Path, PathBuf};

use super::catalog::{sidecar_path, BackupInfo, Tier};
use super::container::Manifest;
use super::files::{self, temp_path};
use super::{blocking, reference, stored, untrusted, BackupError};
use crate::model::platform::time::Timestamp;

/// A file that is deleted when dropped (the decompressed container of a verified backup).
#[derive(Debug)]
pub struct TempFile(pub PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A backup that passed every check, with its decompressed container ready to read.
#[derive(Debug)]
pub struct Verified {
    pub manifest: Manifest,
    pub sha256: String,
    pub size: u64,
    pub container: TempFile,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Free space a decompression leaves on the work folder's disk, for the database beside it.
const KEEP_FREE: u64 = 256 << 20;

/// Verifies `path`, decompressing into `work_dir`: at most `max_plain` bytes once decompressed
/// (`Config::backup_max_plain_bytes`), and never more than the disk has room for.
pub async fn verify_file(path: &Path, work_dir: &Path, max_plain: u64) -> Result<Verified, BackupError> {
    std::fs::create_dir_all(work_dir).map_err(|e| BackupError::Io(format!("{}: {e}", work_dir.display())))?;
    let free = fs4::available_space(work_dir).map_err(|e| BackupError::Io(format!("{}: {e}", work_dir.display())))?;
    let room = free.saturating_sub(KEEP_FREE);
    if room == 0 {
        return Err(BackupError::NoSpace { free_mib: free >> 20 });
    }
    match unpack_and_check(path, work_dir, max_plain.min(room)).await {
        Err(BackupError::TooLarge) if room < max_plain => Err(BackupError::NoSpace { free_mib: free >> 20 }),
        outcome => outcome,
    }
}

async fn unpack_and_check(path: &Path, work_dir: &Path, max_plain: u64) -> Result<Verified, BackupError> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "backup".into());
    // A name of its own: two checks of one file (a verify beside a restore) must not share it.
    let container = TempFile(temp_path(&work_dir.join(name), &format!(".{:016x}.verify", rand::random::<u64>())));
    let (source, target) = (path.to_path_buf(), container.0.clone());
    let size = std::fs::metadata(path).map_err(|e| BackupError::Io(format!("{}: {e}", path.display())))?.len();
    let (sha256, _) = blocking(move || {
        let hashes = files::decompress(&source, Some(&target), max_plain)?;
        let mut header = [0u8; 16];
        let mut file = std::fs::File::open(&target).map_err(|e| BackupError::Io(e.to_string()))?;
        if file.read_exact(&mut header).is_err() || &header != SQLITE_HEADER {
            return Err(BackupError::NotABackup);
        }
        Ok(hashes)
    })
    .await?;
    let manifest = check_container(&container.0, work_dir).await?;
    Ok(Verified { manifest, sha256, size, container })
}

/// The checks on a decompressed container, opened read-only with an untrusted schema: the
/// schema alone first, which must be this build's at its version, then SQLite's own checks, the
/// manifest and every table's rows.
async fn check_container(path: &Path, work_dir: &Path) -> Result<Manifest, BackupError> {
    let latest = crate::db::engine::connect::latest_schema_version();
    let migrations = reference::at(latest, work_dir).await?.entry("_sqlx_migrations").cloned();
    let migrations = migrations.ok_or_else(|| BackupError::Db("this build has no migrations table".into()))?;
    let opened = path.to_path_buf();
    let (schema, version) = blocking(move || untrusted::schema_and_version(&opened, &migrations)).await?;
    if version > latest {
        return Err(BackupError::FutureSchema { found: version, known: latest });
    }
    if version < 1 {
        return Err(BackupError::NotABackup);
    }
    let reference = reference::at(version, work_dir).await?;
    reference.check_schema(&schema)?;
    let opened = path.to_path_buf();
    let inspected = blocking(move || untrusted::inspect(&opened)).await?;
    let (manifest, tables) = (inspected.manifest, inspected.tables);
    if manifest.schema_version > latest {
        return Err(BackupError::FutureSchema { found: manifest.schema_version, known: latest });
    }
    if manifest.schema_version != version {
        return Err(BackupError::Mismatch("its schema version differs from its manifest".into()));
    }
    reference.check_manifest(&manifest)?;
    let hashed = path.to_path_buf();
    let found = blocking(move || stored::table_stats(&hashed, &tables)).await?;
    for (table, expected) in &manifest.tables {
        match found.get(table) {
            Some(stat) if stat == expected => {}
            Some(stat) => {
                return Err(BackupError::Mismatch(format!(
                    "table {} has {} rows (checksum {}), the manifest says {} ({})",
                    reference::printable(table),
                    stat.rows,
                    &stat.sha256[..12],
                    expected.rows,
                    expected.sha256.chars().take(12).collect::<String>()
                )))
            }
            None => return Err(BackupError::Mismatch(format!("table {} is missing", reference::printable(table)))),
        }
    }
    if let Some(extra) = found.keys().find(|t| !manifest.tables.contains_key(*t)) {
        return Err(BackupError::Mismatch(format!("table {} is not in the manifest", reference::printable(extra))));
    }
    Ok(manifest)
}

/// Verifies a backup in the catalogue and records the outcome in its sidecar (a file without
/// one gets one). A file whose hash differs from its sidecar's fails even if it decodes.
pub async fn verify_listed(path: &Path, work_dir: &Path, max_plain: u64) -> Result<BackupInfo, BackupError> {
    let previous: Option<BackupInfo> =
        std::fs::read_to_string(sidecar_path(path)).ok().and_then(|t| serde_json::from_str(&t).ok());
    let outcome = verify_file(path, work_dir, max_plain).await;
    let file = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let info = match (&outcome, previous) {
        (Ok(v), Some(prev)) if prev.sha256 != v.sha256 => {
            BackupInfo { status: "failed: the file changed since it was made".into(), ..prev }
        }
        (Ok(v), prev) => BackupInfo {
            file,
            tier: prev.map(|p| p.tier).unwrap_or(Tier::Manual),
            created_at: v.manifest.created_at.clone(),
            source_engine: v.manifest.source_engine.clone(),
            schema_version: v.manifest.schema_version,
            size: v.size,
            sha256: v.sha256.clone(),
            tables: v.manifest.tables.clone(),
            status: "verified".into(),
            checked_at: String::new(),
        },
        (Err(e), Some(prev)) => BackupInfo { status: format!("failed: {e}"), ..prev },
        (Err(e), None) => return Err(BackupError::Corrupt(e.to_string())),
    };
    let info = BackupInfo { checked_at: Timestamp::now().rfc3339(), ..info };
    let text = serde_json::to_string_pretty(&info).map_err(|e| BackupError::Io(e.to_string()))?;
    files::write_atomic(&sidecar_path(path), &text)?;
    Ok(info)
}
