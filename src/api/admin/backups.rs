//! Backups (admins only): the catalogue, create now, verify, delete, restore (password and the
//! typed word RESTORE), and the restore summary shown once afterwards.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::admin::backup::{BackupPage, RestoreReport};

#[cfg(feature = "ssr")]
mod support {
    use std::path::PathBuf;

    use crate::backup::catalog::{self, Listed};
    use crate::backup::BackupError;
    use crate::error::AppError;
    use crate::model::admin::backup::BackupRow;

    pub const REPORT_KEY: &str = "restore-report";

    pub fn row(l: &Listed) -> BackupRow {
        match &l.info {
            Some(i) => BackupRow {
                file: l.file.clone(),
                tier: i.tier.as_str().to_string(),
                created_at: i.created_at.clone(),
                engine: i.source_engine.clone(),
                size: l.size,
                sha256: i.sha256.clone(),
                tables: i.tables.iter().map(|(t, s)| (t.clone(), s.rows)).collect(),
                status: i.status.clone(),
            },
            None => BackupRow {
                file: l.file.clone(),
                tier: String::new(),
                created_at: String::new(),
                engine: String::new(),
                size: l.size,
                sha256: String::new(),
                tables: Vec::new(),
                status: "unverified".to_string(),
            },
        }
    }

    /// The catalogue entry named `file`; names are never joined to paths unchecked.
    pub fn find(dir: &std::path::Path, file: &str) -> Result<Listed, AppError> {
        let listed = catalog::list(dir).map_err(into_app)?;
        listed.into_iter().find(|l| l.file == file.trim()).ok_or(AppError::NotFound)
    }

    pub fn dir(state: &crate::context::state::AppState) -> PathBuf {
        state.config.backup_dir()
    }

    /// Backup errors meant for people pass through; file and database trouble is logged.
    pub fn into_app(e: BackupError) -> AppError {
        match e {
            BackupError::Io(_) | BackupError::Db(_) => {
                tracing::error!(error = %e, "backup failed");
                AppError::Internal
            }
            other => AppError::Conflict(other.to_string()),
        }
    }
}

/// Admins: every backup, newest first, and what is running now.
#[server(endpoint = "list_backups")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_backups", level = "debug", skip_all))]
pub async fn list_backups() -> Result<BackupPage, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let listed = crate::backup::catalog::list(&support::dir(&cx.state)).map_err(support::into_app)?;
    Ok(BackupPage {
        rows: listed.iter().map(support::row).collect(),
        running: crate::backup::runs::running(&cx.state.backup_runs, cx.db()).await,
        schedule_on: cx.state.config.backup_schedule,
    })
}

/// Admins: takes a manual backup now (verified before it is listed), then applies retention.
#[server(endpoint = "create_backup_now")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_backup_now", level = "debug", skip_all))]
pub async fn create_backup_now() -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let actor = cx.actor();
    let tier = crate::backup::catalog::Tier::Manual;
    let dir = support::dir(&cx.state);
    let info =
        crate::backup::runs::create(cx.db().clone(), dir.clone(), tier, actor.clone(), cx.state.backup_runs.clone())
            .await
            .map_err(support::into_app)?;
    crate::backup::runs::prune(cx.db(), &dir, &actor).await;
    let name: String = form_urlencoded::byte_serialize(info.file.as_bytes()).collect();
    leptos_axum::redirect(&format!("/admin/backups?done=created&file={name}"));
    Ok(())
}

/// Admins: checks a backup completely and records the outcome.
#[server(endpoint = "verify_backup")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "verify_backup", level = "debug", skip_all))]
pub async fn verify_backup(file: String) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let dir = support::dir(&cx.state);
    let listed = support::find(&dir, &file)?;
    let info = crate::backup::verify::verify_listed(&listed.path, &dir, cx.state.config.backup_max_plain_bytes())
        .await
        .map_err(support::into_app)?;
    let actor = cx.actor();
    let values = serde_json::json!({"sha256": info.sha256, "status": info.status});
    crate::db::platform::audit::record(
        cx.db(),
        &actor,
        crate::db::platform::audit::AuditEntry::new("backup.verified", "backup", &info.file).with_new(values),
    )
    .await?;
    let outcome = if info.is_verified() { "verified" } else { "failed" };
    leptos_axum::redirect(&format!("/admin/backups?done={outcome}"));
    Ok(())
}

/// Admins: deletes one backup, never the newest verified one (BK-6).
#[server(endpoint = "delete_backup")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "delete_backup", level = "debug", skip_all))]
pub async fn delete_backup(file: String) -> Result<(), AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    let dir = support::dir(&cx.state);
    let listed = support::find(&dir, &file)?;
    let all = crate::backup::catalog::list(&dir).map_err(support::into_app)?;
    let newest_verified = all.iter().find(|l| l.info.as_ref().is_some_and(|i| i.is_verified()));
    if newest_verified.is_some_and(|n| n.file == listed.file) {
        return Err(AppError::Conflict(
            "This is the newest verified backup; it stays until a newer one is verified.".into(),
        ));
    }
    let actor = cx.actor();
    crate::backup::runs::delete(cx.db(), &listed, &actor, "admin").await.map_err(support::into_app)?;
    leptos_axum::redirect("/admin/backups?done=deleted");
    Ok(())
}

/// Admins, with their password and the typed word RESTORE. Every other session ends; the
/// admin's own survives when the restored data still has them as an admin.
#[server(endpoint = "restore_backup")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "restore_backup", level = "debug", skip_all))]
pub async fn restore_backup(file: String, password: String, confirm: String) -> Result<(), AppError> {
    let (cx, admin) = crate::auth::ctx::Ctx::admin().await?;
    if confirm.trim() != "RESTORE" {
        return Err(AppError::invalid("confirm", "Type RESTORE in capitals to confirm."));
    }
    crate::auth::reauth::check_password(&cx.state, &cx.user, password).await?;
    let dir = support::dir(&cx.state);
    let listed = support::find(&dir, &file)?;
    let session = crate::auth::guard::session().await?;
    let key = session.id().map(|id| crate::db::platform::sessions::row_key(&id)).unwrap_or_default();
    let job = crate::backup::runs::RestoreJob {
        db: cx.db().clone(),
        file: listed.path.clone(),
        dir,
        max_plain: cx.state.config.backup_max_plain_bytes(),
        status: cx.state.backup_runs.clone(),
    };
    let started = std::time::Instant::now();
    let summary = crate::backup::runs::restore(job, &admin, key, cx.actor()).await.map_err(support::into_app)?;
    let report = RestoreReport {
        file: listed.file,
        backup_created_at: summary.backup_created_at,
        source_engine: summary.source_engine,
        tables: summary.tables.into_iter().map(|(t, s)| (t, s.rows)).collect(),
        proven: summary.proven,
        warning: summary.warning,
        revocations_kept: summary.revocations_kept,
        pre_restore_file: summary.pre_restore_file,
        seconds: started.elapsed().as_secs_f64(),
    };
    cx.show_once(support::REPORT_KEY, &serde_json::to_string(&report).unwrap_or_default()).await?;
    leptos_axum::redirect("/admin/backups?done=restored");
    Ok(())
}

/// Admins: the stage of the backup or restore running now, if any (the page polls it).
#[server(endpoint = "backup_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "backup_status", level = "debug", skip_all))]
pub async fn backup_status() -> Result<Option<String>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    Ok(crate::backup::runs::running(&cx.state.backup_runs, cx.db()).await)
}

/// Admins: the summary of their last restore, once.
#[server(endpoint = "take_restore_report")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "take_restore_report", level = "debug", skip_all))]
pub async fn take_restore_report() -> Result<Option<RestoreReport>, AppError> {
    let (cx, _admin) = crate::auth::ctx::Ctx::admin().await?;
    Ok(cx.take_once(support::REPORT_KEY).await?.and_then(|t| serde_json::from_str(&t).ok()))
}
