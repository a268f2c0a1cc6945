//! The device health API: `POST /api/v1/devices/{device_id}/health` (one check) and
//! `POST /api/v1/health/batch` (up to 1,000). Bearer tokens, JSON in, JSON errors out.
use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use crate::context::state::AppState;
use crate::db::fleet::api_tokens::{find_token, TokenScope};
use crate::model::fleet::health_input::{CheckIn, ValidCheck, MAX_BATCH};
use crate::model::platform::time::Timestamp;

/// A full batch with generous details fits; anything larger is refused with 413.
pub const API_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// An API error: status, a sentence, and where it applies (row index in a batch, field).
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) row: Option<usize>,
    pub(crate) field: Option<&'static str>,
    /// Where a job target stands, on the agent API's 409 and 410 answers.
    pub(crate) state: Option<&'static str>,
}

pub(crate) fn api_error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError { status, message: message.into(), row: None, field: None, state: None }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.message, "row": self.row, "field": self.field});
        if let Some(state) = self.state {
            body["state"] = json!(state);
        }
        let body = Json(body);
        let mut res = (self.status, body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<crate::db::engine::DbError> for ApiError {
    fn from(err: crate::db::engine::DbError) -> Self {
        match err {
            crate::db::engine::DbError::Unavailable => {
                api_error(StatusCode::SERVICE_UNAVAILABLE, "busy, retry shortly")
            }
            crate::db::engine::DbError::Paused => {
                api_error(StatusCode::SERVICE_UNAVAILABLE, "a restore is running, retry in a minute")
            }
            other => {
                tracing::error!(error = %other, "health ingest failed");
                api_error(StatusCode::INTERNAL_SERVER_ERROR, "the checks could not be stored")
            }
        }
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/devices/{device_id}/health", post(one_check))
        .route("/api/v1/health/batch", post(batch))
        .with_state(state)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
}

pub(crate) async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<TokenScope, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| api_error(StatusCode::UNAUTHORIZED, "send a device token as 'Authorization: Bearer …'"))?;
    find_token(&state.db, token).await?.ok_or_else(|| api_error(StatusCode::UNAUTHORIZED, "unknown or revoked token"))
}

pub(crate) fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            api_error(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is larger than {API_BODY_LIMIT} bytes"))
        }
        status => api_error(status, "the body could not be read"),
    })
}

fn parse_check(json: &str, row: Option<usize>, now: Timestamp) -> Result<(CheckIn, ValidCheck), ApiError> {
    let check: CheckIn = serde_json::from_str(json).map_err(|e| {
        let message = if e.is_syntax() || e.is_eof() {
            format!("the body is not valid JSON: {e}")
        } else {
            format!("invalid check: {e}")
        };
        ApiError { row, ..api_error(StatusCode::BAD_REQUEST, message) }
    })?;
    let valid = check.validate(now).map_err(|e| ApiError {
        row,
        field: Some(e.field),
        ..api_error(StatusCode::BAD_REQUEST, format!("{} {}", e.field, e.message))
    })?;
    Ok((check, valid))
}

fn stored(count: usize) -> Response {
    crate::telemetry::checks_ingested(count);
    (StatusCode::CREATED, Json(json!({"accepted": count}))).into_response()
}

async fn one_check(
    State(state): State<AppState>,
    Path(device_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let scope = authenticate(&state, &headers).await?;
    let body = body_bytes(body)?;
    let json = std::str::from_utf8(&body)
        .map_err(|e| api_error(StatusCode::BAD_REQUEST, format!("the body is not valid UTF-8 JSON: {e}")))?;
    let (_, valid) = parse_check(json, None, Timestamp::now())?;
    let pks = state.checks.device_pks(&[device_id.as_str()]).await?;
    let pk = *pks.get(&device_id).ok_or_else(|| api_error(StatusCode::NOT_FOUND, "no device with this device_id"))?;
    if scope.device.is_some_and(|own| own != pk) {
        return Err(api_error(StatusCode::FORBIDDEN, "this token belongs to another device"));
    }
    state.checks.write(vec![(pk, valid)]).await?;
    Ok(stored(1))
}

async fn batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let scope = authenticate(&state, &headers).await?;
    let parsed = parse_batch(&body_bytes(body)?)?;
    let keys: Vec<&str> = parsed.iter().map(|(d, _)| d.as_str()).collect::<HashSet<_>>().into_iter().collect();
    let pks = state.checks.device_pks(&keys).await?;
    let mut rows = Vec::with_capacity(parsed.len());
    for (row, (device, valid)) in parsed.into_iter().enumerate() {
        let pk = *pks.get(&device).ok_or_else(|| ApiError {
            row: Some(row),
            field: Some("device_id"),
            ..api_error(StatusCode::NOT_FOUND, "no device with this device_id")
        })?;
        if scope.device.is_some_and(|own| own != pk) {
            return Err(ApiError {
                row: Some(row),
                ..api_error(StatusCode::FORBIDDEN, "a device token may only report for its own device")
            });
        }
        rows.push((pk, valid));
    }
    let count = rows.len();
    state.checks.write(rows).await?;
    Ok(stored(count))
}

/// The batch's checks with their device ids, each checked; the first bad row fails the request.
/// Rows are first split as raw JSON text (no tree per check) so each is parsed with its index.
fn parse_batch(body: &[u8]) -> Result<Vec<(String, ValidCheck)>, ApiError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawBatch<'a> {
        #[serde(borrow)]
        checks: Vec<&'a serde_json::value::RawValue>,
    }
    let raw: RawBatch = serde_json::from_slice(body)
        .map_err(|e| api_error(StatusCode::BAD_REQUEST, format!("expected {{\"checks\": [...]}}: {e}")))?;
    if raw.checks.len() > MAX_BATCH {
        return Err(api_error(StatusCode::PAYLOAD_TOO_LARGE, format!("at most {MAX_BATCH} checks per request")));
    }
    if raw.checks.is_empty() {
        return Err(api_error(StatusCode::BAD_REQUEST, "the batch holds no checks"));
    }
    let now = Timestamp::now();
    let mut parsed = Vec::with_capacity(raw.checks.len());
    for (row, value) in raw.checks.into_iter().enumerate() {
        let (check, valid) = parse_check(value.get(), Some(row), now)?;
        let device = check.device_id.filter(|d| !d.trim().is_empty()).ok_or_else(|| ApiError {
            row: Some(row),
            field: Some("device_id"),
            ..api_error(StatusCode::BAD_REQUEST, "device_id is required in a batch")
        })?;
        parsed.push((device, valid));
    }
    Ok(parsed)
}
