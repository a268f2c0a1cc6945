//! Health checks as devices send them to the API, and the rules a check must pass.
use serde::{Deserialize, Serialize};

use crate::model::platform::time::Timestamp;

/// Most checks one batch request may carry.
pub const MAX_BATCH: usize = 1_000;
const MAX_ENDPOINT_CHARS: usize = 200;
const MAX_ERROR_CHARS: usize = 1_000;
const MAX_DETAILS_BYTES: usize = 4 * 1024;
/// Device clocks drift; a check from further in the future than this is refused.
const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// One check as JSON: `{"is_healthy": true, "response_time_ms": 42, "status_code": 200,
/// "endpoint": "/health"}`, with optional `details` (object), `error_message` and `checked_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// Required in a batch; ignored (taken from the URL) for a single check.
    #[serde(default)]
    pub device_id: Option<String>,
    pub is_healthy: bool,
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 600_000))]
    pub response_time_ms: i64,
    #[cfg_attr(feature = "ssr", schema(minimum = 100, maximum = 599))]
    pub status_code: i64,
    /// What was checked, 1 to 200 characters.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub endpoint: String,
    /// A JSON object of at most 4 KB.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub details: Option<serde_json::Value>,
    /// At most 1,000 characters.
    #[serde(default)]
    pub error_message: Option<String>,
    /// RFC 3339, from 2000 to five minutes ahead; the time of receipt when absent.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(format = DateTime))]
    pub checked_at: Option<String>,
}

/// A batch request body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckBatch {
    /// 1 to 1,000 checks, each with its `device_id`.
    pub checks: Vec<CheckIn>,
}

/// A check that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCheck {
    pub is_healthy: bool,
    pub response_time_ms: i64,
    pub status_code: i64,
    pub endpoint: String,
    pub details: Option<serde_json::Value>,
    pub error_message: Option<String>,
    pub checked_at: Timestamp,
}

/// Why a check was refused: the field and a sentence for the device's operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckError {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> CheckError {
    CheckError { field, message: message.into() }
}

impl CheckIn {
    /// Checks every rule; `now` is the time of receipt.
    pub fn validate(&self, now: Timestamp) -> Result<ValidCheck, CheckError> {
        if !(0..=600_000).contains(&self.response_time_ms) {
            return Err(refuse("response_time_ms", "must be between 0 and 600000"));
        }
        if !(100..=599).contains(&self.status_code) {
            return Err(refuse("status_code", "must be an HTTP status between 100 and 599"));
        }
        let endpoint = self.endpoint.trim();
        if endpoint.is_empty() || endpoint.chars().count() > MAX_ENDPOINT_CHARS {
            return Err(refuse("endpoint", format!("must be 1 to {MAX_ENDPOINT_CHARS} characters")));
        }
        if let Some(details) = &self.details {
            if !details.is_object() {
                return Err(refuse("details", "must be a JSON object"));
            }
            if details.to_string().len() > MAX_DETAILS_BYTES {
                return Err(refuse("details", format!("must be at most {MAX_DETAILS_BYTES} bytes")));
            }
        }
        let error_message = self.error_message.as_deref().map(str::trim).filter(|m| !m.is_empty());
        if error_message.is_some_and(|m| m.chars().count() > MAX_ERROR_CHARS) {
            return Err(refuse("error_message", format!("must be at most {MAX_ERROR_CHARS} characters")));
        }
        let checked_at = match &self.checked_at {
            None => now,
            Some(text) => Timestamp::parse(text).ok_or_else(|| refuse("checked_at", "must be an RFC 3339 time"))?,
        };
        if checked_at > now.plus_secs(MAX_CLOCK_SKEW_SECS) {
            return Err(refuse("checked_at", "is in the future"));
        }
        // A device clock reset to 1970 (or a token holder's 0001-01-01) would otherwise stretch
        // the device page's date drill-down over centuries of empty years.
        if checked_at.unix() < crate::model::platform::zone::SPANS_FROM {
            return Err(refuse("checked_at", "is before 2000"));
        }
        Ok(ValidCheck {
            is_healthy: self.is_healthy,
            response_time_ms: self.response_time_ms,
            status_code: self.status_code,
            endpoint: endpoint.to_string(),
            details: self.details.clone(),
            error_message: error_message.map(str::to_string),
            checked_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> CheckIn {
        CheckIn {
            device_id: None,
            is_healthy: true,
            response_time_ms: 42,
            status_code: 200,
            endpoint: "/health".into(),
            details: None,
            error_message: None,
            checked_at: None,
        }
    }

    #[test]
    fn each_rule_names_its_field() {
        let now = Timestamp::now();
        assert_eq!(check().validate(now).unwrap().checked_at, now);
        let cases = [
            (CheckIn { response_time_ms: -1, ..check() }, "response_time_ms"),
            (CheckIn { status_code: 42, ..check() }, "status_code"),
            (CheckIn { endpoint: " ".into(), ..check() }, "endpoint"),
            (CheckIn { details: Some(serde_json::json!([1])), ..check() }, "details"),
            (CheckIn { checked_at: Some("yesterday".into()), ..check() }, "checked_at"),
            (CheckIn { checked_at: Some(now.plus_secs(3600).rfc3339()), ..check() }, "checked_at"),
            (CheckIn { checked_at: Some("1970-01-01T00:00:00Z".into()), ..check() }, "checked_at"),
        ];
        for (bad, field) in cases {
            assert_eq!(bad.validate(now).unwrap_err().field, field);
        }
    }

    #[test]
    fn unknown_json_fields_are_refused() {
        let text = r#"{"is_healthy": true, "response_time_ms": 1, "status_code": 200, "endpoint": "/", "oops": 1}"#;
        assert!(serde_json::from_str::<CheckIn>(text).is_err());
    }
}
