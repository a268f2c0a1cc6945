//! Making a backup: a consistent snapshot into a container (SQLite: `VACUUM INTO`; PostgreSQL:
//! one repeatable-read export), its manifest, compression, verification, then the atomic publish.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::Connection;

use super::catalog::{sidecar_path, BackupInfo, Tier, BACKUP_SUFFIX};
use super::container::{self, Manifest, TableStat};
use super::files::{self, temp_path};
use super::{blocking, stored, BackupError};
use crate::db::engine::Db;
use crate::model::platform::time::Timestamp;

/// Reports progress as a short stage name and a count (rows copied, bytes written).
pub type Progress<'a> = &'a (dyn Fn(&str, u64) + Sync);

/// `20261122-013000-250`: UTC to the millisecond, so names sort in the order backups were taken.
pub fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{:03}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

/// A name for a new backup that no file in `dir` has: `backroom-20261122-013000-250-hourly.db.zst`.
fn new_name(dir: &Path, tier: Tier) -> PathBuf {
    let base = format!("backroom-{}-{}", stamp(), tier.as_str());
    (1..)
        .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
        .map(|name| dir.join(format!("{name}{BACKUP_SUFFIX}")))
        .find(|path| !path.exists() && !temp_path(path, "").exists())
        .unwrap_or_else(|| dir.join(format!("{base}{BACKUP_SUFFIX}")))
}

/// Takes a backup of `db` into `dir`; one backup or restore runs at a time.
pub async fn create(db: &Db, dir: &Path, tier: Tier, progress: Progress<'_>) -> Result<BackupInfo, BackupError> {
    let _one_at_a_time = super::exclusive(db).await?;
    create_locked(db, dir, tier, progress).await
}

/// `create` for callers that already hold the backup lock (a restore's pre-restore backup).
pub async fn create_locked(db: &Db, dir: &Path, tier: Tier, progress: Progress<'_>) -> Result<BackupInfo, BackupError> {
    std::fs::create_dir_all(dir).map_err(|e| BackupError::Io(format!("create {}: {e}", dir.display())))?;
    let now = Timestamp::now();
    let target = new_name(dir, tier);
    let plain = temp_path(&target, ".container");
    let result = build(db, &plain, &target, tier, now, progress).await;
    let _ = std::fs::remove_file(&plain);
    if result.is_err() {
        let _ = std::fs::remove_file(temp_path(&target, ""));
    }
    result
}

async fn build(
    db: &Db,
    plain: &Path,
    target: &Path,
    tier: Tier,
    now: Timestamp,
    progress: Progress<'_>,
) -> Result<BackupInfo, BackupError> {
    progress("snapshot", 0);
    let manifest = snapshot(db, plain, now, progress).await?;
    progress("check and compress", 0);
    let info = seal(plain, target, tier, manifest).await?;
    progress("done", info.size);
    Ok(info)
}

/// Writes the container for `db` at `path` and returns its manifest (counts and checksums).
pub async fn snapshot(db: &Db, path: &Path, now: Timestamp, progress: Progress<'_>) -> Result<Manifest, BackupError> {
    let _ = std::fs::remove_file(path);
    let version = crate::db::engine::connect::schema_version(db).await?;
    match db {
        Db::Sqlite(pool, ..) => {
            sqlx::query("vacuum into ?").bind(path.to_string_lossy().to_string()).execute(pool).await?;
            let mut conn = container::open_rw(path).await?;
            sqlx::query("pragma secure_delete = on").execute(&mut conn).await?;
            // What a backup does not carry goes, values waiting for a session first: the copy
            // checks no foreign keys, so they would be left pointing at deleted sessions (and
            // secure_delete wipes their sealed bytes from the file's pages). A database of an
            // older schema may not have that table yet.
            let waiting: i64 = sqlx::query_scalar(
                "select count(*) from sqlite_schema where type = 'table' and name = 'one_time_values'",
            )
            .fetch_one(&mut conn)
            .await?;
            if waiting > 0 {
                sqlx::query("delete from one_time_values").execute(&mut conn).await?;
            }
            sqlx::query("delete from sessions").execute(&mut conn).await?;
            let tables = container::data_tables(path).await?;
            let indexes = container::drop_indexes(&mut conn, &tables, "main").await?;
            progress("hash", 0);
            let hashed = path.to_path_buf();
            let stats = blocking(move || stored::table_stats(&hashed, &tables)).await?;
            let manifest = manifest(db.engine(), version, now, stats, indexes);
            container::write_manifest(&mut conn, &manifest).await?;
            conn.close().await?;
            Ok(manifest)
        }
        Db::Postgres(pool, ..) => {
            container::migrate(path, version).await?;
            let tables = container::data_tables(path).await?;
            let mut conn = container::open_rw(path).await?;
            let indexes = container::drop_indexes(&mut conn, &tables, "main").await?;
            conn.close().await?;
            let mut pg = pool.acquire().await?;
            let stats = super::pg_export::export(&mut pg, Some(path), &tables, progress).await?;
            let mut conn = container::open_rw(path).await?;
            let manifest = manifest(db.engine(), version, now, stats, indexes);
            container::write_manifest(&mut conn, &manifest).await?;
            conn.close().await?;
            Ok(manifest)
        }
    }
}

fn manifest(
    engine: &str,
    version: i64,
    now: Timestamp,
    tables: BTreeMap<String, TableStat>,
    indexes: Vec<(String, String)>,
) -> Manifest {
    Manifest {
        format: container::FORMAT.to_string(),
        schema_version: version,
        source_engine: engine.to_string(),
        created_at: now.rfc3339(),
        tables,
        indexes,
    }
}

/// Runs SQLite's integrity and foreign-key checks on the container while it is compressed and
/// the compressed file is read back (it must decode to exactly the container); only when both
/// pass is it published under its name, with the sidecar that marks it verified.
async fn seal(plain: &Path, target: &Path, tier: Tier, manifest: Manifest) -> Result<BackupInfo, BackupError> {
    let (source, temp) = (plain.to_path_buf(), temp_path(target, ""));
    let compressed = blocking(move || {
        let written = files::compress(&source, &temp)?;
        let (file_sha, plain_sha) = files::decompress(&temp, None, u64::MAX)?;
        if file_sha != written.sha256 || plain_sha != written.plain_sha256 {
            return Err(BackupError::Corrupt("the file read back differs from what was written".into()));
        }
        Ok(written)
    });
    let (checked, written) = tokio::join!(container::check_integrity(plain), compressed);
    checked?;
    let written = written?;
    let target = target.to_path_buf();
    blocking(move || {
        files::publish(&temp_path(&target, ""), &target)?;
        let info = BackupInfo {
            file: target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
            tier,
            created_at: manifest.created_at,
            source_engine: manifest.source_engine,
            schema_version: manifest.schema_version,
            size: written.size,
            sha256: written.sha256,
            tables: manifest.tables,
            status: "verified".to_string(),
            checked_at: Timestamp::now().rfc3339(),
        };
        let text = serde_json::to_string_pretty(&info).map_err(|e| BackupError::Io(e.to_string()))?;
        files::write_atomic(&sidecar_path(&target), &text)?;
        Ok(info)
    })
    .await
}
