//! Backup files over HTTP (admins): download (streamed) and upload (untrusted, BK-5: size limit,
//! header check, then the full verification before it joins the catalogue).
use axum::body::Body;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use http::{header, StatusCode};
use tokio::io::AsyncWriteExt;

use crate::backup::catalog::{self, sidecar_path, BackupInfo, Tier, BACKUP_SUFFIX};
use crate::backup::{files, verify, BackupError};
use crate::context::state::AppState;
use crate::db::platform::audit::{self, AuditEntry};
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::{CurrentUser, Role};

const PAGE: &str = "/admin/backups";

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/backups/download/{file}", get(download)).route("/admin/backups/upload", post(upload))
}

fn admin(user: Option<Extension<CurrentUser>>) -> Option<CurrentUser> {
    user.map(|Extension(u)| u).filter(|u| u.role >= Role::Admin && !u.must_change_password)
}

async fn record(state: &AppState, user: &CurrentUser, event: &'static str, file: &str, values: serde_json::Value) {
    let actor = crate::context::request::actor(Some(user.id), &user.username);
    if let Err(e) = audit::record(&state.db, &actor, AuditEntry::new(event, "backup", file).with_new(values)).await {
        tracing::error!(error = %e, event, "audit row not written");
    }
}

async fn download(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    UrlPath(file): UrlPath<String>,
) -> Response {
    let Some(user) = admin(user) else { return (StatusCode::FORBIDDEN, "Admins only.").into_response() };
    let listed = catalog::list(&state.config.backup_dir()).unwrap_or_default();
    let Some(found) = listed.into_iter().find(|l| l.file == file) else {
        return (StatusCode::NOT_FOUND, "No such backup.").into_response();
    };
    let opened = match tokio::fs::File::open(&found.path).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "backup download");
            return (StatusCode::INTERNAL_SERVER_ERROR, "The file could not be read.").into_response();
        }
    };
    let sha = found.info.as_ref().map(|i| i.sha256.clone()).unwrap_or_default();
    record(&state, &user, "backup.downloaded", &found.file, serde_json::json!({"sha256": sha})).await;
    let disposition = format!("attachment; filename=\"{}\"", found.file);
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(opened));
    ([(header::CONTENT_TYPE, "application/zstd".to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// Back to the page with a fixed code (never the user's input: IN-6).
fn back(code: &str) -> Response {
    Redirect::to(&format!("{PAGE}?upload={code}")).into_response()
}

fn code_of(e: &BackupError) -> &'static str {
    match e {
        BackupError::NotABackup => "foreign",
        BackupError::Corrupt(_) => "corrupt",
        BackupError::FutureSchema { .. } => "future",
        BackupError::TooLarge => "toolarge",
        BackupError::NoSpace { .. } => "nospace",
        BackupError::Mismatch(_) => "mismatch",
        _ => "failed",
    }
}

/// Streams the `file` field to `temp`, refusing more than `limit` bytes.
async fn receive(mut form: Multipart, temp: &std::path::Path, limit: u64) -> Result<u64, &'static str> {
    let mut out = tokio::fs::File::create(temp).await.map_err(|_| "failed")?;
    let mut total = 0u64;
    while let Some(mut field) = form.next_field().await.map_err(|_| "toolarge")? {
        if field.name() != Some("file") {
            continue;
        }
        while let Some(chunk) = field.chunk().await.map_err(|_| "toolarge")? {
            total += chunk.len() as u64;
            if total > limit {
                return Err("toolarge");
            }
            out.write_all(&chunk).await.map_err(|_| "failed")?;
        }
    }
    out.sync_all().await.map_err(|_| "failed")?;
    Ok(total)
}

async fn upload(State(state): State<AppState>, user: Option<Extension<CurrentUser>>, form: Multipart) -> Response {
    let Some(user) = admin(user) else { return (StatusCode::FORBIDDEN, "Admins only.").into_response() };
    let dir = state.config.backup_dir();
    if std::fs::create_dir_all(&dir).is_err() {
        return back("failed");
    }
    let temp = files::temp_path(&dir.join(format!("upload-{}{BACKUP_SUFFIX}", crate::backup::create::stamp())), "");
    let limit = state.config.backup_upload_mib.saturating_mul(1024 * 1024);
    let received = receive(form, &temp, limit).await;
    let outcome = match received {
        Ok(0) => Err("nofile"),
        Ok(_) => accept(&temp, &dir, state.config.backup_max_plain_bytes()).await.map_err(|e| code_of(&e)),
        Err(code) => Err(code),
    };
    let _ = std::fs::remove_file(&temp);
    match outcome {
        Ok(info) => {
            record(&state, &user, "backup.uploaded", &info.file, serde_json::json!({"sha256": info.sha256})).await;
            back("ok")
        }
        Err(code) => {
            record(&state, &user, "backup.upload_refused", "upload", serde_json::json!({"reason": code})).await;
            back(code)
        }
    }
}

/// Verifies an uploaded file in full (unpacking at most `max_plain` bytes, and only as much as
/// the disk has room for); only then does it get a backup's name and a sidecar.
async fn accept(temp: &std::path::Path, dir: &std::path::Path, max_plain: u64) -> Result<BackupInfo, BackupError> {
    let checked = verify::verify_file(temp, dir, max_plain).await?;
    let name = format!("backroom-{}-uploaded{BACKUP_SUFFIX}", crate::backup::create::stamp());
    let target = dir.join(&name);
    files::publish(temp, &target)?;
    let info = BackupInfo {
        file: name,
        tier: Tier::Uploaded,
        created_at: checked.manifest.created_at.clone(),
        source_engine: checked.manifest.source_engine.clone(),
        schema_version: checked.manifest.schema_version,
        size: checked.size,
        sha256: checked.sha256.clone(),
        tables: checked.manifest.tables.clone(),
        status: "verified".into(),
        checked_at: Timestamp::now().rfc3339(),
    };
    let text = serde_json::to_string_pretty(&info).map_err(|e| BackupError::Io(e.to_string()))?;
    files::write_atomic(&sidecar_path(&target), &text)?;
    Ok(info)
}
