//! The job form: what a manager typed, checked field by field into a `JobInput` (the CLI builds
//! the same form, so both refuse the same things with the same words).
use serde::{Deserialize, Serialize};

use super::rules::{RetryPolicy, ACTIONS, MAX_BACKOFF_SECS};
use crate::error::FieldErrors;
use crate::model::fleet::fleet_forms::{check_key, check_text, MAX_DESCRIPTION_CHARS};
use crate::model::fleet::sites::{DEVICE_STATUSES, DEVICE_TYPES};

pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024;
pub const MAX_WAVES: usize = 10;
const MAX_URL_CHARS: usize = 500;
const MAX_VERSION_CHARS: usize = 64;

/// The job form as typed; every field is text, as a browser posts it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobForm {
    pub action: String,
    pub description: String,
    pub priority: String,
    pub payload: String,
    pub config_url: String,
    pub config_version: String,
    /// `device`, `site` or `segment`.
    pub target_kind: String,
    pub device: String,
    pub site: String,
    pub device_type: String,
    pub status: String,
    pub ttl_s: String,
    pub timeout_s: String,
    pub max_attempts: String,
    pub retry_failed: Option<String>,
    pub retry_timed_out: Option<String>,
    pub backoff_s: String,
    pub waves: String,
    pub threshold_pct: String,
    pub min_done: String,
    pub auto_release_pct: String,
    /// Set when the manager confirmed creating a job that reaches no device.
    pub confirm_empty: Option<String>,
}

impl JobForm {
    /// The target fields of a form as posted (`form[target_kind]` …), for the reach preview
    /// of a form that came back from a failed post. `None` when no target was chosen.
    pub fn target_from_pairs(pairs: &[(String, String)]) -> Option<JobForm> {
        let get = |name: &str| {
            pairs.iter().find(|(n, _)| n == &format!("form[{name}]")).map(|(_, v)| v.clone()).unwrap_or_default()
        };
        let form = JobForm {
            target_kind: get("target_kind"),
            device: get("device"),
            site: get("site"),
            device_type: get("device_type"),
            status: get("status"),
            ..JobForm::default()
        };
        (!form.target_kind.is_empty()).then_some(form)
    }
}

/// Which devices a job reaches. Archived sites and inactive devices never match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobTarget {
    Device(String),
    Site(String),
    /// Devices of a type and/or a status, at one site (`Some`) or every site.
    Segment {
        site: Option<String>,
        device_type: Option<String>,
        status: Option<String>,
    },
}

impl JobTarget {
    pub fn kind(&self) -> &'static str {
        match self {
            JobTarget::Device(_) => "device",
            JobTarget::Site(_) => "site",
            JobTarget::Segment { .. } => "segment",
        }
    }

    /// "device pos-terminal-000001", "site site-00001", "kiosk · online · all sites".
    pub fn label(&self) -> String {
        match self {
            JobTarget::Device(key) => format!("device {key}"),
            JobTarget::Site(key) => format!("site {key}"),
            JobTarget::Segment { site, device_type, status } => {
                let place = site.as_ref().map_or("all sites".to_string(), |s| format!("site {s}"));
                [device_type.clone(), status.clone(), Some(place)].into_iter().flatten().collect::<Vec<_>>().join(" · ")
            }
        }
    }
}

/// A job's checked values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobInput {
    pub action: String,
    pub description: String,
    pub priority: i64,
    pub payload: serde_json::Value,
    pub config_url: String,
    pub config_version: String,
    pub target: JobTarget,
    pub ttl_s: i64,
    pub timeout_s: i64,
    pub retry: RetryPolicy,
    /// Cumulative percentages, rising, the last 100; empty for no waves.
    pub waves: Vec<i64>,
    pub threshold_pct: Option<i64>,
    pub min_done: i64,
    pub auto_release_pct: Option<i64>,
    pub confirm_empty: bool,
}

/// A whole number in `min..=max`; `default` when left empty.
fn check_number(errors: &mut FieldErrors, field: &str, raw: &str, min: i64, max: i64, default: i64) -> i64 {
    let text = raw.trim();
    if text.is_empty() {
        return default;
    }
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => n,
        _ => {
            errors.insert(field.into(), format!("Enter a whole number from {min} to {max}."));
            default
        }
    }
}

/// An optional whole number in `min..=max`.
fn check_optional(errors: &mut FieldErrors, field: &str, raw: &str, min: i64, max: i64) -> Option<i64> {
    (!raw.trim().is_empty()).then(|| check_number(errors, field, raw, min, max, min))
}

/// A JSON object of at most 32 KB; empty means `{}`.
fn check_payload(errors: &mut FieldErrors, raw: &str) -> serde_json::Value {
    let text = raw.trim();
    if text.is_empty() {
        return serde_json::json!({});
    }
    if text.len() > MAX_PAYLOAD_BYTES {
        errors.insert("payload".into(), format!("The payload has at most {} KB.", MAX_PAYLOAD_BYTES / 1024));
        return serde_json::Value::Null;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value @ serde_json::Value::Object(_)) => value,
        Ok(_) => {
            errors.insert("payload".into(), "The payload must be a JSON object, like {\"key\": \"value\"}.".into());
            serde_json::Value::Null
        }
        Err(e) => {
            let at = format!("line {}, column {}", e.line(), e.column());
            errors.insert("payload".into(), format!("The payload is not valid JSON ({at})."));
            serde_json::Value::Null
        }
    }
}

/// `1,10,100`: rising cumulative percentages ending at 100.
fn check_waves(errors: &mut FieldErrors, raw: &str) -> Vec<i64> {
    let text = raw.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let parts: Vec<Option<i64>> =
        text.split(',').map(|p| p.trim().trim_end_matches('%').trim().parse::<i64>().ok()).collect();
    let waves: Vec<i64> = parts.iter().flatten().copied().collect();
    let rising = waves.windows(2).all(|w| w[0] < w[1]);
    if waves.len() != parts.len() || waves.len() > MAX_WAVES || !rising || waves.last() != Some(&100) || waves[0] < 1 {
        errors.insert(
            "waves".into(),
            format!("Give up to {MAX_WAVES} rising percentages that end at 100, like 1,10,100."),
        );
    }
    waves
}

fn check_choice(errors: &mut FieldErrors, field: &str, raw: &str, choices: &[&str]) -> Option<String> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    if !choices.contains(&text) {
        errors.insert(field.into(), "Choose a value from the list.".into());
    }
    Some(text.to_string())
}

impl JobForm {
    fn check_target(&self, errors: &mut FieldErrors) -> JobTarget {
        let site = (!self.site.trim().is_empty()).then(|| check_key(errors, "site", "site id", &self.site));
        match self.target_kind.trim() {
            "device" => JobTarget::Device(check_key(errors, "device", "device id", &self.device)),
            "site" => JobTarget::Site(check_key(errors, "site", "site id", &self.site)),
            "segment" => {
                let device_type = check_choice(errors, "device_type", &self.device_type, &DEVICE_TYPES);
                let status = check_choice(errors, "status", &self.status, &DEVICE_STATUSES);
                if device_type.is_none() && status.is_none() {
                    errors.insert("device_type".into(), "Choose a device type, a status, or both.".into());
                }
                JobTarget::Segment { site, device_type, status }
            }
            _ => {
                errors.insert("target_kind".into(), "Choose one device, one site, or a segment.".into());
                JobTarget::Site(String::new())
            }
        }
    }

    /// The target alone (for the reach preview), checked as `validate` checks it.
    pub fn validate_target(&self) -> Result<JobTarget, FieldErrors> {
        let mut errors = FieldErrors::new();
        let target = self.check_target(&mut errors);
        if errors.is_empty() {
            Ok(target)
        } else {
            Err(errors)
        }
    }

    pub fn validate(&self) -> Result<JobInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let action = self.action.trim().to_string();
        if !ACTIONS.contains(&action.as_str()) {
            errors.insert("action".into(), "Choose an action from the list.".into());
        }
        let description = check_text(&mut errors, "description", &self.description, MAX_DESCRIPTION_CHARS, false);
        let priority = check_number(&mut errors, "priority", &self.priority, 1, 5, 3);
        let payload = check_payload(&mut errors, &self.payload);
        let config_url = check_text(&mut errors, "config_url", &self.config_url, MAX_URL_CHARS, false);
        let web = config_url.starts_with("https://") || config_url.starts_with("http://");
        if !config_url.is_empty() && !web {
            errors.insert("config_url".into(), "Enter an address that starts with https:// or http://.".into());
        }
        let config_version = check_text(&mut errors, "config_version", &self.config_version, MAX_VERSION_CHARS, false);
        let target = self.check_target(&mut errors);
        let retry = RetryPolicy {
            max_attempts: check_number(&mut errors, "max_attempts", &self.max_attempts, 1, 10, 1),
            on_failed: self.retry_failed.is_some(),
            on_timed_out: self.retry_timed_out.is_some(),
            backoff_s: check_number(&mut errors, "backoff_s", &self.backoff_s, 1, MAX_BACKOFF_SECS, 30),
        };
        let waves = check_waves(&mut errors, &self.waves);
        let auto_release_pct = check_optional(&mut errors, "auto_release_pct", &self.auto_release_pct, 1, 100);
        if auto_release_pct.is_some() && waves.len() < 2 {
            errors.insert("auto_release_pct".into(), "Automatic release needs at least two waves.".into());
        }
        let input = JobInput {
            action,
            description,
            priority,
            payload,
            config_url,
            config_version,
            target,
            ttl_s: check_number(&mut errors, "ttl_s", &self.ttl_s, 10, 7 * 86_400, 300),
            timeout_s: check_number(&mut errors, "timeout_s", &self.timeout_s, 10, 7 * 86_400, 900),
            retry,
            waves,
            threshold_pct: check_optional(&mut errors, "threshold_pct", &self.threshold_pct, 0, 100),
            min_done: check_number(&mut errors, "min_done", &self.min_done, 0, 1_000_000, 0),
            auto_release_pct,
            confirm_empty: self.confirm_empty.is_some(),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> JobForm {
        JobForm {
            action: "restart".into(),
            target_kind: "site".into(),
            site: "site-00001".into(),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_follow_the_domain() {
        let input = form().validate().expect("valid");
        assert_eq!((input.priority, input.ttl_s, input.timeout_s, input.retry.max_attempts), (3, 300, 900, 1));
        assert_eq!(input.payload, serde_json::json!({}));
        assert_eq!(input.target.label(), "site site-00001");
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let bad = JobForm {
            action: "format_disk".into(),
            priority: "0".into(),
            payload: "[1, 2]".into(),
            waves: "10,5,100".into(),
            ttl_s: "99999999999999999999".into(),
            config_url: "ftp://x".into(),
            description: "a\u{0}b".into(),
            ..form()
        };
        let errors = bad.validate().unwrap_err();
        for field in ["action", "priority", "payload", "waves", "ttl_s", "config_url", "description"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let huge = JobForm { payload: format!("{{\"a\": \"{}\"}}", "x".repeat(MAX_PAYLOAD_BYTES)), ..form() };
        assert!(huge.validate().unwrap_err()["payload"].contains("32 KB"));
        let broken = JobForm { payload: "{\"a\": ".into(), ..form() };
        assert!(broken.validate().unwrap_err()["payload"].contains("line 1"));
    }

    #[test]
    fn a_segment_needs_a_type_or_a_status() {
        let none = JobForm { target_kind: "segment".into(), site: String::new(), ..form() };
        assert!(none.validate().unwrap_err().contains_key("device_type"));
        let kiosks = JobForm { device_type: "kiosk".into(), status: "online".into(), ..none };
        assert_eq!(kiosks.validate().unwrap().target.label(), "kiosk · online · all sites");
    }
}
