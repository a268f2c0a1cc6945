//! Backups and restores started from the web or the scheduler run as tasks of their own, so a
//! closed browser or a request timeout cannot cut one off halfway; the page reads their stage.
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::catalog::{BackupInfo, Tier};
use super::restore::RestoreSummary;
use super::swap::KeepSession;
use super::BackupError;
use crate::db::engine::Db;
use crate::db::platform::audit::{self, Actor, AuditEntry};

/// The stage of the running backup or restore, if any ("create: compress").
#[derive(Default)]
pub struct RunStatus(Mutex<Option<String>>);

impl RunStatus {
    pub fn current(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, value: Option<String>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = value;
    }
}

/// The stage of this server's backup or restore, or a word about one another server runs.
pub async fn running(status: &RunStatus, db: &Db) -> Option<String> {
    use crate::db::engine::cluster_lock::{held, Guarded};
    if let Some(stage) = status.current() {
        return Some(stage);
    }
    match held(db, Guarded::BackupOrRestore).await {
        Ok(true) => Some("a backup or restore, on another server".to_string()),
        Ok(false) => None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot tell whether another server runs a backup");
            None
        }
    }
}

async fn audit_backup(db: &Db, actor: &Actor, event: &'static str, file: &str, values: serde_json::Value) {
    let entry = AuditEntry::new(event, "backup", file).with_new(values);
    if let Err(e) = audit::record(db, actor, entry).await {
        tracing::error!(error = %e, event, "backup audit row not written");
    }
}

/// Takes a backup in its own task and audits it (BK-7).
pub async fn create(
    db: Db,
    dir: PathBuf,
    tier: Tier,
    actor: Actor,
    status: Arc<RunStatus>,
) -> Result<BackupInfo, BackupError> {
    let task = tokio::spawn(async move {
        let report = |stage: &str, _: u64| status.set(Some(format!("backup: {stage}")));
        let outcome = super::create::create(&db, &dir, tier, &report).await;
        status.set(None);
        crate::telemetry::backup_finished(outcome.is_ok());
        if let Ok(info) = &outcome {
            let rows: i64 = info.tables.values().map(|t| t.rows).sum();
            let values = serde_json::json!({"sha256": info.sha256, "tier": tier.as_str(), "rows": rows});
            audit_backup(&db, &actor, "backup.created", &info.file, values).await;
        }
        outcome
    });
    task.await.map_err(|e| BackupError::Io(format!("backup task failed: {e}")))?
}

/// Where a web restore runs and what it may use.
pub struct RestoreJob {
    pub db: Db,
    pub file: PathBuf,
    pub dir: PathBuf,
    pub max_plain: u64,
    pub status: Arc<RunStatus>,
}

/// An admin's restore, in its own task; the audit row goes into the restored database. The
/// admin's own session (`session_key`) is kept if the restored data still has them as an admin.
pub async fn restore(
    job: RestoreJob,
    by: &crate::auth::guard::Admin,
    session_key: String,
    actor: Actor,
) -> Result<RestoreSummary, BackupError> {
    let keep = KeepSession { key: session_key, user_id: by.user().id, username: by.user().username.clone() };
    let RestoreJob { db, file, dir, max_plain, status } = job;
    let task = tokio::spawn(async move {
        let report = |stage: &str, _: u64| status.set(Some(format!("restore: {stage}")));
        let outcome = super::restore::restore(&db, &file, &dir, max_plain, Some(keep), &report).await;
        status.set(None);
        let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        match &outcome {
            Ok(summary) => {
                audit_backup(&db, &actor, "backup.restored", &name, serde_json::to_value(summary).unwrap_or_default())
                    .await
            }
            Err(e) => {
                let values = serde_json::json!({"error": e.to_string()});
                audit_backup(&db, &actor, "backup.restore_refused", &name, values).await
            }
        }
        outcome
    });
    task.await.map_err(|e| BackupError::Io(format!("restore task failed: {e}")))?
}

/// Deletes one backup with its sidecar and audits it with the file's hash.
pub async fn delete(db: &Db, listed: &super::catalog::Listed, actor: &Actor, by: &str) -> Result<(), BackupError> {
    std::fs::remove_file(&listed.path).map_err(|e| BackupError::Io(format!("delete {}: {e}", listed.file)))?;
    let _ = std::fs::remove_file(super::catalog::sidecar_path(&listed.path));
    let sha = listed.info.as_ref().map(|i| i.sha256.clone()).unwrap_or_default();
    audit_backup(db, actor, "backup.deleted", &listed.file, serde_json::json!({"sha256": sha, "by": by})).await;
    Ok(())
}

/// Applies retention to the folder and audits every backup it removes.
pub async fn prune(db: &Db, dir: &std::path::Path, actor: &Actor) {
    match super::catalog::prune(dir) {
        Ok(deleted) => {
            for gone in deleted {
                let sha = gone.info.as_ref().map(|i| i.sha256.clone()).unwrap_or_default();
                let values = serde_json::json!({"sha256": sha, "by": "retention"});
                audit_backup(db, actor, "backup.deleted", &gone.file, values).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "retention failed"),
    }
}
