//! Jobs over plain HTTP beside the pages: CSV downloads of the jobs list and of one job's
//! devices (the current filter, every row, streamed), and the job page's live feed — a
//! server-sent event each time the job's timeline grows, so an open page refreshes itself.
use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use axum::Router;

use super::export::{csv_response, error_response, require_user, BATCH};
use crate::context::state::AppState;
use crate::db::engine::Db;
use crate::db::jobs::job_page::{job_pk, last_event_id, list_targets};
use crate::db::jobs::reads::list_jobs;
use crate::model::jobs::states::TargetState;
use crate::model::jobs::views::JobFilter;
use crate::model::platform::user::CurrentUser;

const JOBS_HEADER: [&str; 10] = [
    "job_id",
    "action",
    "description",
    "priority",
    "state",
    "outcome",
    "target",
    "targets",
    "created_by",
    "created_at",
];
const TARGETS_HEADER: [&str; 8] =
    ["device_id", "site_id", "wave", "state", "attempt", "progress", "message", "updated_at"];

/// How often a live page's job is looked at: one indexed read per open page, and a busy job,
/// which changes many times a second, refreshes its page at most this often. A look works the
/// same whichever server wrote the change.
const LIVE_EVERY: Duration = Duration::from_secs(2);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jobs/export", get(export_jobs))
        .route("/jobs/{job_id}/devices/export", get(export_targets))
        .route("/jobs/{job_id}/live", get(live))
        .route_layer(axum::middleware::from_fn(require_user))
}

async fn export_jobs(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| params.get(k).cloned().filter(|v| !v.is_empty());
    let filter = JobFilter {
        state: get("state"),
        action: get("action"),
        site: get("site"),
        created_by: get("created_by"),
        day: get("day"),
    }
    .clamped();
    let span = filter.day_span(&user.zone);
    let db: Db = state.db.clone();
    csv_response("jobs.csv", &JOBS_HEADER, i64::MAX, move |before| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let (chunk, _) = list_jobs(&db, &filter, span, Some(before), BATCH).await?;
            let last = chunk.rows.last().map_or(before, |j| j.id);
            let rows = chunk
                .rows
                .into_iter()
                .map(|j| {
                    vec![
                        j.job_id,
                        j.action,
                        j.description,
                        j.priority.to_string(),
                        j.state.as_str().to_string(),
                        j.outcome.map(|o| o.as_str().to_string()).unwrap_or_default(),
                        j.target_label,
                        j.counters.targets.to_string(),
                        j.created_by,
                        j.created_at.rfc3339(),
                    ]
                })
                .collect();
            Ok((rows, last))
        }
    })
}

async fn export_targets(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let job = match job_pk(&state.db, &job_id).await {
        Ok(Some(job)) => job,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such job.").into_response(),
        Err(e) => return error_response(e.into()),
    };
    let only = params.get("state").and_then(|s| TargetState::parse(s));
    let db: Db = state.db.clone();
    csv_response("job_devices.csv", &TARGETS_HEADER, 0, move |after| {
        let db = db.clone();
        async move {
            let chunk = list_targets(&db, job, only, Some(after), BATCH).await?;
            let last = chunk.rows.last().map_or(after, |t| t.id);
            let rows = chunk
                .rows
                .into_iter()
                .map(|t| {
                    let progress = t.progress.map(|p| p.to_string()).unwrap_or_default();
                    let state = t.state.as_str().to_string();
                    vec![
                        t.device_id,
                        t.site,
                        t.wave.to_string(),
                        state,
                        t.attempt.to_string(),
                        progress,
                        t.message,
                        t.updated_at.rfc3339(),
                    ]
                })
                .collect();
            Ok((rows, last))
        }
    })
}

/// `changed` with the newest event's id whenever the job's timeline grew (looked at every 2 s);
/// a comment every 15 s keeps proxies from closing the stream.
async fn live(State(state): State<AppState>, Path(job_id): Path<String>) -> Response {
    let job = match job_pk(&state.db, &job_id).await {
        Ok(Some(job)) => job,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such job.").into_response(),
        Err(e) => return error_response(e.into()),
    };
    let start = last_event_id(&state.db, job).await.unwrap_or(0);
    let stream = futures_util::stream::unfold((state, start), move |(state, seen)| async move {
        loop {
            tokio::time::sleep(LIVE_EVERY).await;
            match last_event_id(&state.db, job).await {
                Ok(newest) if newest != seen => {
                    let event = Event::default().event("changed").data(newest.to_string());
                    return Some((Ok::<_, Infallible>(event), (state, newest)));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "live job feed stopped");
                    return None;
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
