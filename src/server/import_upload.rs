//! The import page's upload: a plain multipart form post (works without JavaScript). The file is
//! imported at once; the report waits (`auth::one_time`) for the manager's next view of the
//! import page, on whichever server serves it.
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use crate::context::state::AppState;
use crate::fleet_csv::import::{import_reader, FileKind, ImportRun};
use crate::model::platform::user::{CurrentUser, Role};

/// Largest file the page accepts (about 300,000 health checks); bigger imports use the CLI.
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;
pub const IMPORT_PAGE: &str = "/import";

pub fn routes() -> Router<AppState> {
    Router::new().route("/import/upload", post(upload)).route("/import/example/{file}", get(example))
}

/// An example file to start from (`model::fleet::csv_columns::example`), for anyone logged in.
async fn example(user: Option<Extension<CurrentUser>>, Path(file): Path<String>) -> Response {
    if user.is_none() {
        return Redirect::to("/login").into_response();
    }
    match crate::model::fleet::csv_columns::example(&file) {
        Some(text) => {
            let disposition = format!("attachment; filename=\"{file}\"");
            (
                [
                    (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (http::header::CONTENT_DISPOSITION, disposition),
                ],
                text,
            )
                .into_response()
        }
        None => (http::StatusCode::NOT_FOUND, "There is no example of that file.").into_response(),
    }
}

/// The form's fields: which file it is, whether to skip bad rows, the site for device rows
/// that name none (a site key, as the picker fills it), and the bytes.
struct Upload {
    kind: Option<FileKind>,
    skip_bad: bool,
    default_site: String,
    file_name: String,
    bytes: Vec<u8>,
}

fn kind_of(name: &str) -> Option<FileKind> {
    FileKind::ALL.into_iter().find(|k| k.file_name() == name)
}

async fn read_form(mut form: Multipart) -> Result<Upload, &'static str> {
    let mut upload = Upload {
        kind: None,
        skip_bad: false,
        default_site: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
    };
    while let Some(field) = form.next_field().await.map_err(|_| "unreadable")? {
        match field.name().unwrap_or_default() {
            "kind" => upload.kind = kind_of(&field.text().await.map_err(|_| "unreadable")?),
            "skip_bad" => upload.skip_bad = true,
            "site" => {
                let site = field.text().await.map_err(|_| "unreadable")?;
                let site = site.trim();
                if site.chars().count() > 64 || site.chars().any(char::is_control) {
                    return Err("badsite");
                }
                upload.default_site = site.to_string();
            }
            "file" => {
                let guessed = field.file_name().and_then(kind_of);
                upload.file_name = field.file_name().unwrap_or_default().chars().take(200).collect();
                upload.bytes = field.bytes().await.map_err(|_| "toolarge")?.to_vec();
                upload.kind = upload.kind.or(guessed);
            }
            _ => {}
        }
    }
    Ok(upload)
}

async fn upload(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    user: Option<Extension<CurrentUser>>,
    form: Multipart,
) -> Response {
    let Some(Extension(user)) = user.filter(|u| u.0.role >= Role::Manager) else {
        return (http::StatusCode::FORBIDDEN, "Managers and admins import fleet files.").into_response();
    };
    if user.must_change_password {
        return (http::StatusCode::FORBIDDEN, "Change your password before importing.").into_response();
    }
    let upload = match read_form(form).await {
        Ok(u) if u.bytes.is_empty() => return back("nofile"),
        Ok(u) => u,
        Err(code) => return back(code),
    };
    let Some(kind) = upload.kind else { return back("nokind") };
    let actor = crate::context::request::actor(Some(user.id), &user.username);
    let run = ImportRun {
        kind,
        file_name: &upload.file_name,
        actor: &actor,
        skip_bad: upload.skip_bad,
        default_site: &upload.default_site,
    };
    let outcome = import_reader(&state.db, &run, upload.bytes.as_slice(), &|_| {}).await;
    let report = match outcome {
        Ok(report) => report,
        Err(e) => {
            tracing::error!(error = %e, "web import failed");
            return back("failed");
        }
    };
    tracing::info!(user = %actor.name, file = kind.file_name(), created = report.created, "fleet import");
    let page = serde_json::to_string(&report.to_page()).unwrap_or_default();
    let now = crate::model::platform::time::Timestamp::now();
    if let Err(e) =
        crate::auth::one_time::put(&state.db, &session, crate::fleet_csv::IMPORT_REPORT_KEY, &page, now).await
    {
        // The rows are in; only the report is lost, and the audit log holds its figures.
        tracing::error!(error = %e, "import report not kept");
    }
    Redirect::to(&format!("{IMPORT_PAGE}?done=1")).into_response()
}

/// Back to the import page with a fixed error code (never the user's input: IN-6).
fn back(code: &'static str) -> Response {
    Redirect::to(&format!("{IMPORT_PAGE}?error={code}")).into_response()
}
