//! The agent API's request bodies, checked before they reach the jobs service: sizes (details
//! ≤ 16 keys × 1 KB, log lines ≤ 4 KB each), characters, and the states a device may report.
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::health_api::{api_error, ApiError};
use crate::jobs::reports::Report;
use crate::model::jobs::states::TargetState;

const MAX_DETAIL_KEYS: usize = 16;
const MAX_DETAIL_BYTES: usize = 1024;
const MAX_MESSAGE_CHARS: usize = 1000;
const MAX_LINES: usize = 1000;
const MAX_LINE_BYTES: usize = 4096;
const MAX_REPORT_ID_CHARS: usize = 64;

/// An acknowledgement: the attempt the work was fetched with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ack {
    #[schema(minimum = 1, maximum = 10)]
    pub attempt: i64,
}

/// A status report as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportIn {
    /// The attempt the work was fetched with.
    #[schema(minimum = 1, maximum = 10)]
    pub attempt: i64,
    /// Unique per report: a report sent again with the same id is answered, not applied twice.
    #[schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9._:-]+$")]
    pub report_id: String,
    /// `in_progress`, or a result: `succeeded`, `failed`, `rejected` or `canceled`.
    #[schema(pattern = "^(in_progress|succeeded|failed|rejected|canceled)$")]
    pub state: String,
    #[schema(minimum = 0, maximum = 100)]
    pub progress: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub message: String,
    /// At most 16 keys, each value at most 1 KB of JSON.
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Log lines to append to the target's log (at most 256 KB per target in all).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Logs {
    /// At most 1,000 lines, each at most 4 KB, no control characters but tabs.
    #[schema(max_items = 1000)]
    pub lines: Vec<String>,
}

fn bad(field: &'static str, message: String) -> ApiError {
    ApiError { field: Some(field), ..api_error(StatusCode::BAD_REQUEST, message) }
}

/// The body as JSON of type `T`, or a 400 that says what is wrong.
pub fn parse_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        let message = if e.is_syntax() || e.is_eof() {
            format!("the body is not valid JSON: {e}")
        } else {
            format!("invalid body: {e}")
        };
        api_error(StatusCode::BAD_REQUEST, message)
    })
}

fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\t')
}

/// Checks a report: a state a device may send, an attempt and a progress in range, a report id
/// of safe characters, a short message and small details.
pub fn check_report(input: ReportIn) -> Result<Report, ApiError> {
    let state = TargetState::parse(&input.state)
        .filter(|s| {
            matches!(
                s,
                TargetState::InProgress
                    | TargetState::Succeeded
                    | TargetState::Failed
                    | TargetState::Rejected
                    | TargetState::Canceled
            )
        })
        .ok_or_else(|| bad("state", "state must be in_progress, succeeded, failed, rejected or canceled".into()))?;
    if !(1..=10).contains(&input.attempt) {
        return Err(bad("attempt", "attempt is the attempt number the work was fetched with (1 to 10)".into()));
    }
    let id_ok = !input.report_id.is_empty()
        && input.report_id.chars().count() <= MAX_REPORT_ID_CHARS
        && input.report_id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if !id_ok {
        return Err(bad(
            "report_id",
            format!("report_id: 1 to {MAX_REPORT_ID_CHARS} letters, digits, '-', '_', '.', ':'"),
        ));
    }
    if input.progress.is_some_and(|p| !(0..=100).contains(&p)) {
        return Err(bad("progress", "progress is a percentage from 0 to 100".into()));
    }
    if input.message.chars().count() > MAX_MESSAGE_CHARS || has_control(&input.message) {
        return Err(bad("message", format!("message: at most {MAX_MESSAGE_CHARS} characters, no control characters")));
    }
    if let Some(details) = &input.details {
        let too_big = details.iter().any(|(k, v)| k.len() > 64 || v.to_string().len() > MAX_DETAIL_BYTES);
        if details.len() > MAX_DETAIL_KEYS || too_big {
            return Err(bad("details", format!("details: at most {MAX_DETAIL_KEYS} keys, each value at most 1 KB")));
        }
    }
    let message = input.message.trim().to_string();
    Ok(Report {
        attempt: input.attempt,
        report_id: input.report_id,
        state,
        progress: input.progress,
        message,
        details: input.details.map(serde_json::Value::Object),
    })
}

/// Checks log lines: at most 1,000 per call, each at most 4 KB, no control characters but tabs.
pub fn check_lines(logs: Logs) -> Result<Vec<String>, ApiError> {
    if logs.lines.len() > MAX_LINES {
        return Err(bad("lines", format!("at most {MAX_LINES} lines per call")));
    }
    if let Some(row) = logs.lines.iter().position(|l| l.len() > MAX_LINE_BYTES || has_control(l)) {
        return Err(ApiError {
            row: Some(row),
            ..bad("lines", format!("a line has at most {MAX_LINE_BYTES} bytes and no control characters"))
        });
    }
    Ok(logs.lines)
}
