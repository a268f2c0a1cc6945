//! Warehouse files beside the pages: a kind's reference rows as CSV (the list's search and
//! in-use or archived view, every row), the upload that imports such a file (a plain multipart
//! post, so it works without JavaScript; its report waits for the list's next view), and the
//! PO list and the submissions list as CSV; the bag board's live feed.
use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::export::{csv_response, error_response, require_user, BATCH};
use crate::context::state::AppState;
use crate::db::warehouse::dashboard::last_count_change;
use crate::db::warehouse::reference::list_reference;
use crate::error::AppError;
use crate::model::platform::page::clean_search;
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::{CurrentUser, Role};
use crate::model::warehouse::po_views::{PoFilter, PoListRow, PO_CSV_HEADER};
use crate::model::warehouse::reference::RefKind;
use crate::model::warehouse::submission_list::{
    encode_position, SubmissionFilter, SubmissionRow, SUBMISSION_CSV_HEADER,
};
use crate::warehouse::purchase_orders::po_rows;
use crate::warehouse::reference_csv::{import_reference, RefImport, IMPORT_REPORT_KEY};
use crate::warehouse::submission_list::submission_rows;

/// More rows than any catalogue has; reference lists are small enough to read in one go.
const EXPORT_LIMIT: i64 = 1_000_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/warehouse/{kind}/export", get(export_reference))
        .route("/warehouse/{kind}/import", post(upload_reference))
        .route("/pos/export", get(export_pos))
        .route("/submissions/export", get(export_submissions))
        .route("/bags/live", get(bags_live))
        .route_layer(axum::middleware::from_fn(require_user))
}

async fn export_reference(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(kind) = RefKind::parse(&kind) else { return error_response(AppError::NotFound) };
    let search = clean_search(params.get("q").map_or("", String::as_str));
    let archived = params.get("archived").is_some_and(|a| a == "1");
    let db = state.db.clone();
    // One read of every row; the cursor says whether it was made.
    csv_response(kind.csv_file(), kind.csv_header(), false, move |done: bool| {
        let (db, search) = (db.clone(), search.clone());
        async move {
            if done {
                return Ok((Vec::new(), true));
            }
            let list = list_reference(&db, kind, &search, archived, EXPORT_LIMIT).await?;
            Ok((list.rows.iter().map(|r| kind.csv_fields(&r.values)).collect(), true))
        }
    })
}

/// The PO list as CSV: every PO its filters match (the page's position left out), in list
/// order, read a batch at a time from the last number sent.
async fn export_pos(State(state): State<AppState>, Query(filter): Query<PoFilter>) -> Response {
    let filter = PoFilter { after: String::new(), ..filter.cleaned() };
    let db = state.db.clone();
    csv_response("purchase_orders.csv", &PO_CSV_HEADER, String::new(), move |after: String| {
        let (db, filter) = (db.clone(), PoFilter { after, ..filter.clone() });
        async move {
            let rows = po_rows(&db, &filter, BATCH).await?;
            let last = rows.last().map_or_else(String::new, |r| r.number.clone());
            Ok((rows.iter().map(PoListRow::csv_fields).collect(), last))
        }
    })
}

/// The submissions list as CSV (its 18 columns): every submission its filters match, newest
/// first, a batch at a time from the last row sent. A filter that is not one is refused (400).
async fn export_submissions(State(state): State<AppState>, Query(filter): Query<SubmissionFilter>) -> Response {
    let filter = match (SubmissionFilter { after: String::new(), ..filter }).checked() {
        Ok(filter) => filter,
        Err(errors) => return error_response(AppError::Invalid(errors)),
    };
    let db = state.db.clone();
    csv_response("submissions.csv", &SUBMISSION_CSV_HEADER, String::new(), move |after: String| {
        let (db, filter) = (db.clone(), SubmissionFilter { after, ..filter.clone() });
        async move {
            let (rows, _) = submission_rows(&db, &filter, BATCH).await?;
            let last = rows.last().map_or_else(String::new, |r| encode_position(&r.submitted_on, r.id));
            Ok((rows.iter().map(SubmissionRow::csv_fields).collect(), last))
        }
    })
}

/// How often the bag board's feed looks for a change.
const LIVE_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// `changed` whenever a count or a receive changed after `since` (the board's version: the
/// newest such audit row when it was read; looked at every 2 s), for the bag board to read
/// itself again; a comment every 15 s keeps proxies from closing the stream.
async fn bags_live(State(state): State<AppState>, Query(params): Query<HashMap<String, String>>) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let since = params.get("since").and_then(|v| v.parse::<i64>().ok()).filter(|v| *v >= 0);
    let start = match since {
        Some(since) => since,
        None => last_count_change(&state.db).await.unwrap_or(0),
    };
    let stream = futures_util::stream::unfold((state, start), move |(state, seen)| async move {
        loop {
            tokio::time::sleep(LIVE_EVERY).await;
            match last_count_change(&state.db).await {
                Ok(newest) if newest != seen => {
                    let event = Event::default().event("changed").data(newest.to_string());
                    return Some((Ok::<_, std::convert::Infallible>(event), (state, newest)));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "live bag board feed stopped");
                    return None;
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))).into_response()
}

/// The upload form's fields: the file's name and bytes, and whether bad rows are skipped.
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    skip_bad: bool,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, &'static str> {
    let mut upload = Upload { file_name: String::new(), bytes: Vec::new(), skip_bad: false };
    while let Some(field) = form.next_field().await.map_err(|_| "unreadable")? {
        match field.name().unwrap_or_default() {
            "skip_bad" => upload.skip_bad = true,
            "file" => {
                upload.file_name = field.file_name().unwrap_or_default().chars().take(200).collect();
                upload.bytes = field.bytes().await.map_err(|_| "toolarge")?.to_vec();
            }
            _ => {}
        }
    }
    if upload.bytes.is_empty() {
        return Err("nofile");
    }
    Ok(upload)
}

async fn upload_reference(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    session: tower_sessions::Session,
    Extension(user): Extension<CurrentUser>,
    form: Multipart,
) -> Response {
    let Some(kind) = RefKind::parse(&kind) else { return error_response(AppError::NotFound) };
    if user.role < Role::Manager || user.must_change_password {
        return error_response(AppError::Forbidden);
    }
    let back = |code: &str| Redirect::to(&format!("{}?import_error={code}", kind.path())).into_response();
    let upload = match read_upload(form).await {
        Ok(upload) => upload,
        Err(code) => return back(code),
    };
    let actor = crate::context::request::actor(Some(user.id), &user.username);
    let run = RefImport { kind, file_name: &upload.file_name, skip_bad: upload.skip_bad };
    let now = Timestamp::now();
    let report = match import_reference(&state.db, &actor, &run, &upload.bytes, now).await {
        Ok(report) => report,
        Err(e) => {
            tracing::error!(error = %e, "reference import failed");
            return back("failed");
        }
    };
    let text = serde_json::to_string(&report).unwrap_or_default();
    if let Err(e) = crate::auth::one_time::put(&state.db, &session, IMPORT_REPORT_KEY, &text, now).await {
        // The rows are in; only the report is lost, and the audit log holds its figures.
        tracing::error!(error = %e, "import report not kept");
    }
    Redirect::to(&format!("{}?imported=1", kind.path())).into_response()
}
