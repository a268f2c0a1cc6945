//! The device agent API under `/api/v1/agent/devices/{device_id}/…`: fetch the next work (with
//! an optional long poll), acknowledge it, report status, append log lines. Device tokens (the
//! health API's); JSON errors in the health API's shape, with the target's `state` on 409 and
//! 410. Every answer says when to poll again (`poll_after_s`, and `Retry-After` on a 204).
//! Each handler carries its OpenAPI description (`server::openapi`).
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::agent_answers::{LogsAnswer, StandingAnswer, WorkAnswer};
use super::agent_input::{check_lines, check_report, parse_body, Ack, Logs, ReportIn};
use super::health_api::{
    api_error, bearer_token, body_bytes, path_params, unknown_token, ApiError, CommonAnswers, ErrorBody,
};
use crate::context::state::AppState;
use crate::db::jobs::agent_caller::agent_caller;
use crate::jobs::agent::{acknowledge, fetch_next, Standing};
use crate::jobs::reports::{append_logs, report};
use crate::jobs::JobError;

/// The longest a fetch may wait for new work (under common 30 s proxy timeouts).
pub const MAX_WAIT_SECS: u64 = 25;
const AGENT_BODY_LIMIT: usize = 512 * 1024;

pub fn router(state: AppState) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(next))
        .routes(routes!(ack))
        .routes(routes!(status))
        .routes(routes!(logs))
        .with_state(state)
        .layer(DefaultBodyLimit::max(AGENT_BODY_LIMIT))
}

impl From<JobError> for ApiError {
    fn from(err: JobError) -> Self {
        match err {
            JobError::NotFound => api_error(StatusCode::NOT_FOUND, "no such work for this device"),
            JobError::Conflict(message) => api_error(StatusCode::CONFLICT, message),
            JobError::Gone { message, state } => {
                ApiError { state: Some(state), ..api_error(StatusCode::GONE, message) }
            }
            JobError::Invalid(fields) => {
                let (field, message) = fields.into_iter().next().unwrap_or_default();
                api_error(StatusCode::BAD_REQUEST, format!("{field}: {message}"))
            }
            JobError::Db(e) => match e {
                crate::db::engine::DbError::Unavailable | crate::db::engine::DbError::Paused => {
                    api_error(StatusCode::SERVICE_UNAVAILABLE, "busy, retry shortly")
                }
                other => {
                    tracing::error!(error = %other, "agent API call failed");
                    api_error(StatusCode::INTERNAL_SERVER_ERROR, "the request could not be completed")
                }
            },
        }
    }
}

/// The device the path names, when the token may act for it (its own token, or a collector's),
/// and with `ask_in_flight` whether it has work in flight.
async fn caller_device(
    state: &AppState,
    headers: &HeaderMap,
    device_id: &str,
    ask_in_flight: bool,
) -> Result<(i64, bool), ApiError> {
    let token = bearer_token(headers)?;
    let key = Some(device_id).filter(|k| k.len() <= 64); // longer names no device
    let caller = agent_caller(&state.db, token, key, ask_in_flight).await?.ok_or_else(unknown_token)?;
    let pk = caller.device.ok_or_else(|| api_error(StatusCode::NOT_FOUND, "no device with this device_id"))?;
    if caller.scope.device.is_some_and(|own| own != pk) {
        return Err(api_error(StatusCode::FORBIDDEN, "this token belongs to another device"));
    }
    Ok((pk, caller.in_flight))
}

/// The device the path names, when the token may act for it.
async fn device_pk(state: &AppState, headers: &HeaderMap, device_id: &str) -> Result<i64, ApiError> {
    Ok(caller_device(state, headers, device_id, false).await?.0)
}

/// A target id from the path; anything but a positive number names no work.
fn target_number(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| api_error(StatusCode::NOT_FOUND, "no such work for this device"))
}

/// The device and the target a `…/targets/{target_id}/…` path names, once the token may act for
/// the device.
async fn target_of(
    state: &AppState,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: &HeaderMap,
) -> Result<(i64, i64), ApiError> {
    let (device_id, target_id) = path_params(path)?;
    let device = device_pk(state, headers, &device_id).await?;
    Ok((device, target_number(&target_id)?))
}

fn poll_after(state: &AppState) -> i64 {
    state.config.agent_poll_secs
}

fn answer(state: &AppState, standing: Standing) -> Response {
    (StatusCode::OK, Json(StandingAnswer { standing, poll_after_s: poll_after(state) })).into_response()
}

#[derive(Deserialize)]
struct Wait {
    wait: Option<String>,
}

/// `?wait=` seconds, or a 400 in the API's shape (a bad query must not get axum's plain text).
fn wait_secs(wait: &Wait) -> Result<u64, ApiError> {
    match wait.wait.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => Ok(0),
        Some(w) => w.parse::<u64>().map_err(|_| ApiError {
            field: Some("wait"),
            ..api_error(StatusCode::BAD_REQUEST, format!("wait: seconds from 0 to {MAX_WAIT_SECS}"))
        }),
    }
}

/// The device's next work: what it already acknowledged first, then what was dispatched to it,
/// then the most urgent queued work. With `wait`, the answer waits for new work that long.
#[utoipa::path(
    get,
    path = "/api/v1/agent/devices/{device_id}/next",
    tag = "agent",
    params(
        ("device_id" = String, Path, description = "The device's id, as in the fleet"),
        ("wait" = Option<u64>, Query, minimum = 0, maximum = 25,
            description = "Seconds to wait for new work (a long poll); larger values are capped"),
    ),
    responses(
        (status = 200, description = "Work to acknowledge, then run", body = WorkAnswer),
        (status = 204, description = "No work: fetch again after `Retry-After` seconds",
            headers(("Retry-After" = i64, description = "Seconds until the next fetch"))),
        (status = 400, description = "A `wait` that is not a number of seconds", body = ErrorBody),
        (status = 404, description = "No device with this id", body = ErrorBody),
        CommonAnswers,
    ),
)]
async fn next(
    State(state): State<AppState>,
    device_id: Result<Path<String>, PathRejection>,
    wait: Result<Query<Wait>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let jobs = crate::db::engine::generations::Domain::Jobs;
    // Read before the caller: work committed after this moves the generation and wakes the poll.
    let mut seen = state.db.generations().peek(jobs);
    let (device, in_flight) = caller_device(&state, &headers, &path_params(device_id)?, true).await?;
    let asked = match &wait {
        Ok(Query(w)) => wait_secs(w)?,
        Err(_) => return Err(api_error(StatusCode::BAD_REQUEST, "the query string could not be read")),
    };
    // Never past the server's own request timeout, which would cut the poll off with a 408.
    let longest = MAX_WAIT_SECS.min(state.config.request_timeout_secs.saturating_sub(2));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(asked.min(longest));
    let lease_s = 2 * poll_after(&state);
    // A device with nothing in flight has nothing to fetch (and no clock to enforce) until new
    // work is committed: its idle fetch is the caller's one read.
    let mut look = in_flight;
    loop {
        if look {
            if let Some(work) = fetch_next(&state.db, device, lease_s, state.clock.now()).await? {
                let body = WorkAnswer { work, poll_after_s: poll_after(&state) };
                return Ok((StatusCode::OK, Json(body)).into_response());
            }
        }
        // Woken when new work is committed (here, or on another server that shares PostgreSQL
        // while this one hears it), or at the deadline.
        let woken = tokio::time::timeout_at(deadline, state.db.generations().moved(jobs, seen)).await;
        if woken.is_err() || tokio::time::Instant::now() >= deadline {
            let mut res = StatusCode::NO_CONTENT.into_response();
            let secs = HeaderValue::from(poll_after(&state));
            res.headers_mut().insert(header::RETRY_AFTER, secs);
            return Ok(res);
        }
        seen = state.db.generations().peek(jobs);
        look = true;
    }
}

/// Acknowledges work before running it; a `410` means the device must not run it.
#[utoipa::path(
    post,
    path = "/api/v1/agent/devices/{device_id}/targets/{target_id}/ack",
    tag = "agent",
    params(
        ("device_id" = String, Path, description = "The device's id, as in the fleet"),
        ("target_id" = i64, Path, description = "The work's `target_id`"),
    ),
    request_body = Ack,
    responses(
        (status = 200, description = "Acknowledged: run it", body = StandingAnswer),
        (status = 400, description = "Not valid JSON, or no attempt", body = ErrorBody),
        (status = 404, description = "No such device, or no such work for it", body = ErrorBody),
        (status = 409, description = "A stale attempt, or a move the state table does not allow", body = ErrorBody),
        (status = 410, description = "Canceled, expired or already final: do not run it (a late result is kept on the timeline)", body = ErrorBody),
        (status = 413, description = "A body over 512 KB", body = ErrorBody),
        CommonAnswers,
    ),
)]
async fn ack(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (device, target) = target_of(&state, path, &headers).await?;
    let ack: Ack = parse_body(&body_bytes(body)?)?;
    let standing = acknowledge(&state.db, device, target, ack.attempt, state.clock.now()).await?;
    Ok(answer(&state, standing))
}

/// Reports progress or a final result. Sending the same `report_id` again is answered as the
/// first time and applied once.
#[utoipa::path(
    post,
    path = "/api/v1/agent/devices/{device_id}/targets/{target_id}/status",
    tag = "agent",
    params(
        ("device_id" = String, Path, description = "The device's id, as in the fleet"),
        ("target_id" = i64, Path, description = "The work's `target_id`"),
    ),
    request_body = ReportIn,
    responses(
        (status = 200, description = "Recorded", body = StandingAnswer),
        (status = 400, description = "Not valid JSON, or a field out of range", body = ErrorBody),
        (status = 404, description = "No such device, or no such work for it", body = ErrorBody),
        (status = 409, description = "A stale attempt, or a move the state table does not allow", body = ErrorBody),
        (status = 410, description = "Canceled, expired or already final: do not run it (a late result is kept on the timeline)", body = ErrorBody),
        (status = 413, description = "A body over 512 KB", body = ErrorBody),
        CommonAnswers,
    ),
)]
async fn status(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (device, target) = target_of(&state, path, &headers).await?;
    let input = check_report(parse_body(&body_bytes(body)?)?)?;
    let standing = report(&state.db, device, target, &input, state.clock.now()).await?;
    Ok(answer(&state, standing))
}

/// Appends log lines to the work's log.
#[utoipa::path(
    post,
    path = "/api/v1/agent/devices/{device_id}/targets/{target_id}/logs",
    tag = "agent",
    params(
        ("device_id" = String, Path, description = "The device's id, as in the fleet"),
        ("target_id" = i64, Path, description = "The work's `target_id`"),
    ),
    request_body = Logs,
    responses(
        (status = 200, description = "Appended, up to the 256 KB a target keeps", body = LogsAnswer),
        (status = 400, description = "Not valid JSON, too many lines, or a line too long", body = ErrorBody),
        (status = 404, description = "No such device, or no such work for it", body = ErrorBody),
        (status = 413, description = "A body over 512 KB", body = ErrorBody),
        CommonAnswers,
    ),
)]
async fn logs(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (device, target) = target_of(&state, path, &headers).await?;
    let lines = check_lines(parse_body::<Logs>(&body_bytes(body)?)?)?;
    let kept = append_logs(&state.db, device, target, &lines, state.clock.now()).await?;
    let body = LogsAnswer { accepted: kept, dropped: lines.len() - kept, poll_after_s: poll_after(&state) };
    Ok((StatusCode::OK, Json(body)).into_response())
}
