//! The device health API: `POST /api/v1/devices/{device_id}/health` (one check) and
//! `POST /api/v1/health/batch` (up to 1,000). Bearer tokens, JSON in, JSON errors out. Each
//! handler carries its OpenAPI description (`server::openapi`).
use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::context::state::AppState;
use crate::db::fleet::api_tokens::{find_token, TokenScope};
use crate::model::fleet::health_input::{CheckBatch, CheckIn, ValidCheck, MAX_BATCH};
use crate::model::jobs::states::TargetState;
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
    pub(crate) state: Option<TargetState>,
}

/// The body of every error answer on the device APIs.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// What is wrong, in a sentence.
    error: String,
    /// The row of a batch it applies to, counted from 0.
    row: Option<usize>,
    /// The field it applies to.
    field: Option<String>,
    /// Where the job target stands (agent API, on 409 and 410 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<TargetState>,
}

/// The answers every device API route may give besides its own, described once for the
/// OpenAPI document. Never built: the answers themselves are `ApiError`s.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum CommonAnswers {
    #[response(status = 401, description = "No token, or an unknown or revoked one")]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "A device token used for another device")]
    Forbidden(ErrorBody),
    #[response(status = 503, description = "Busy or restoring: retry shortly")]
    Busy(ErrorBody),
}

/// What a stored check (or batch) answers.
#[derive(Serialize, ToSchema)]
struct Accepted {
    /// How many checks were stored.
    accepted: usize,
}

pub(crate) fn api_error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError { status, message: message.into(), row: None, field: None, state: None }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            ErrorBody { error: self.message, row: self.row, field: self.field.map(String::from), state: self.state };
        let mut res = (self.status, Json(body)).into_response();
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

pub fn router(state: AppState) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(one_check))
        .routes(routes!(batch))
        .with_state(state)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
}

/// A path's parameters, or a 404 in the API's shape (a path that is not valid UTF-8 once
/// decoded names nothing, and must not get axum's plain-text answer).
pub(crate) fn path_params<T>(path: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    path.map(|Path(p)| p).map_err(|_| api_error(StatusCode::NOT_FOUND, "no device with this device_id"))
}

/// The bearer token a request carries, or the 401 that asks for one.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| api_error(StatusCode::UNAUTHORIZED, "send a device token as 'Authorization: Bearer …'"))
}

/// The 401 of a token that is not (or no longer) valid.
pub(crate) fn unknown_token() -> ApiError {
    api_error(StatusCode::UNAUTHORIZED, "unknown or revoked token")
}

pub(crate) async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<TokenScope, ApiError> {
    find_token(&state.db, bearer_token(headers)?).await?.ok_or_else(unknown_token)
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
    (StatusCode::CREATED, Json(Accepted { accepted: count })).into_response()
}

/// Stores one health check for the device the path names.
#[utoipa::path(
    post,
    path = "/api/v1/devices/{device_id}/health",
    tag = "health",
    params(("device_id" = String, Path, description = "The device's id, as in the fleet")),
    request_body = CheckIn,
    responses(
        (status = 201, description = "Stored", body = Accepted),
        (status = 400, description = "Not valid JSON, or a check that breaks a rule", body = ErrorBody),
        (status = 404, description = "No device with this id", body = ErrorBody),
        (status = 413, description = "A body over 4 MiB", body = ErrorBody),
        CommonAnswers,
    ),
)]
pub(crate) async fn one_check(
    State(state): State<AppState>,
    device_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let scope = authenticate(&state, &headers).await?;
    let device_id = path_params(device_id)?;
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

/// Stores up to 1,000 checks at once: all of them, or none when a row is wrong (`row` says which).
#[utoipa::path(
    post,
    path = "/api/v1/health/batch",
    tag = "health",
    request_body = CheckBatch,
    responses(
        (status = 201, description = "All stored", body = Accepted),
        (status = 400, description = "Not valid JSON, an empty batch, or a row that breaks a rule", body = ErrorBody),
        (status = 404, description = "A row names no device", body = ErrorBody),
        (status = 413, description = "Over 1,000 checks, or a body over 4 MiB", body = ErrorBody),
        CommonAnswers,
    ),
)]
pub(crate) async fn batch(
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
