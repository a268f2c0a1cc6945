//! FLEET_CSV.md rows: the header of each file, one row as text fields, and a text row checked
//! back into a record. Exports neutralise spreadsheet formulas (IN-5) in a way import undoes.
use sqlx::types::Json;

use crate::db::fleet::fleet_csv::{CheckCsv, DeviceCsv, SiteCsv};
use crate::model::fleet::csv_columns::{CHECKS_HEADER, DEVICES_HEADER, SITES_HEADER};
use crate::model::fleet::device::parse_config;
use crate::model::fleet::fleet_forms::{DeviceForm, SiteForm};
use crate::model::fleet::sites::DEVICE_STATUSES;
use crate::model::platform::csv_cell::{neutralise, restore};
use crate::model::platform::time::Timestamp;

pub fn site_fields(s: &SiteCsv) -> Vec<String> {
    [
        s.id.to_string(),
        s.site_id.clone(),
        s.name.clone(),
        s.description.clone(),
        s.location.clone(),
        s.created_at.rfc3339(),
    ]
    .iter()
    .map(|f| neutralise(f))
    .collect()
}

pub fn device_fields(d: &DeviceCsv) -> Vec<String> {
    [
        d.id.to_string(),
        d.device_id.clone(),
        d.name.clone(),
        d.device_type.clone(),
        d.site.clone(),
        d.status.clone(),
        d.ip_address.clone().unwrap_or_default(),
        d.mac_address.clone().unwrap_or_default(),
        d.firmware_version.clone(),
        d.last_seen.map(|t| t.rfc3339()).unwrap_or_default(),
        d.config.0.to_string(),
    ]
    .iter()
    .map(|f| neutralise(f))
    .collect()
}

pub fn check_fields(c: &CheckCsv) -> Vec<String> {
    [
        c.id.to_string(),
        c.device.clone(),
        c.is_healthy.to_string(),
        c.response_time_ms.to_string(),
        c.status_code.to_string(),
        c.endpoint.clone(),
        c.checked_at.rfc3339(),
    ]
    .iter()
    .map(|f| neutralise(f))
    .collect()
}

/// A row's fields with `restore` applied, checked against the expected column count.
fn fields(record: &csv::StringRecord, columns: usize) -> Result<Vec<&str>, String> {
    if record.len() != columns {
        return Err(format!("expected {columns} fields, found {}", record.len()));
    }
    Ok(record.iter().map(restore).collect())
}

fn positive_id(text: &str) -> Result<i64, String> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| format!("id {text:?} is not a positive integer"))
}

/// A row as read from a file, and which of its columns the file left empty that a stored row
/// keeps. A file made by hand has no ids: a row without one is matched by its natural key
/// (`site_id`, `device_id`) or is new, and gets its id when the file is planned.
#[derive(Debug)]
pub struct Row<T> {
    pub record: T,
    pub given_id: bool,
    /// Columns left empty that keep the stored value (a new row takes the default).
    pub kept: Vec<&'static str>,
}

impl<T> Row<T> {
    fn keeps(&self, column: &str) -> bool {
        self.kept.contains(&column)
    }
}

impl Row<SiteCsv> {
    /// The record to write over `stored`: an empty `created_at` keeps the stored one.
    pub fn merged(mut self, stored: Option<&SiteCsv>) -> SiteCsv {
        if let (true, Some(old)) = (self.keeps("created_at"), stored) {
            self.record.created_at = old.created_at;
        }
        self.record
    }
}

impl Row<DeviceCsv> {
    /// The record to write over `stored`: an empty status, last seen or config keeps what is
    /// stored (what devices reported is not wiped by a spreadsheet that leaves them out).
    pub fn merged(mut self, stored: Option<&DeviceCsv>) -> DeviceCsv {
        if let Some(old) = stored {
            if self.keeps("status") {
                self.record.status = old.status.clone();
            }
            if self.keeps("last_seen") {
                self.record.last_seen = old.last_seen;
            }
            if self.keeps("config") {
                self.record.config = old.config.clone();
            }
        }
        self.record
    }
}

/// `Some(id)`, or `None` for an empty cell.
fn optional_id(text: &str) -> Result<Option<i64>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        positive_id(text.trim()).map(Some)
    }
}

fn time(column: &str, text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).ok_or_else(|| format!("{column} {text:?} is not a time like 2025-05-31T12:00:00Z"))
}

fn joined(errors: crate::error::FieldErrors) -> String {
    errors.into_iter().map(|(field, message)| format!("{field}: {message}")).collect::<Vec<_>>().join("; ")
}

pub fn parse_site(record: &csv::StringRecord) -> Result<Row<SiteCsv>, String> {
    let f = fields(record, SITES_HEADER.len())?;
    let form = SiteForm {
        site_id: f[1].into(),
        name: f[2].into(),
        description: f[3].into(),
        location: f[4].into(),
        ..Default::default()
    };
    let valid = form.validate().map_err(joined)?;
    let id = optional_id(f[0])?;
    let created_at = if f[5].trim().is_empty() { Timestamp::now() } else { time("created_at", f[5])? };
    Ok(Row {
        record: SiteCsv {
            id: id.unwrap_or_default(),
            site_id: valid.site_id,
            name: valid.name,
            description: valid.description,
            location: valid.location,
            created_at,
        },
        given_id: id.is_some(),
        kept: if f[5].trim().is_empty() { vec!["created_at"] } else { Vec::new() },
    })
}

/// One devices.csv row; an empty `site` takes `default_site` (the site the import page was
/// given for rows that name none; empty for none).
pub fn parse_device(record: &csv::StringRecord, default_site: &str) -> Result<Row<DeviceCsv>, String> {
    let f = fields(record, DEVICES_HEADER.len())?;
    let form = DeviceForm {
        device_id: f[1].into(),
        name: f[2].into(),
        device_type: f[3].into(),
        site: if f[4].trim().is_empty() { default_site.into() } else { f[4].into() },
        ip_address: f[6].into(),
        mac_address: f[7].into(),
        firmware_version: f[8].into(),
    };
    let valid = form.validate().map_err(joined)?;
    let status = match f[5].trim() {
        "" => "unknown",
        known => *DEVICE_STATUSES
            .iter()
            .find(|s| **s == known)
            .ok_or_else(|| format!("status {:?} is not one of {}", f[5], DEVICE_STATUSES.join(", ")))?,
    };
    let last_seen = if f[9].trim().is_empty() { None } else { Some(time("last_seen", f[9])?) };
    let config = if f[10].trim().is_empty() {
        serde_json::json!({})
    } else {
        parse_config(f[10]).map_err(|m| format!("config: {m}"))?
    };
    let id = optional_id(f[0])?;
    let kept = [(5, "status"), (9, "last_seen"), (10, "config")]
        .into_iter()
        .filter(|(i, _)| f[*i].trim().is_empty())
        .map(|(_, column)| column)
        .collect();
    Ok(Row {
        record: DeviceCsv {
            id: id.unwrap_or_default(),
            device_id: valid.device_id,
            name: valid.name,
            device_type: valid.device_type,
            site: valid.site,
            status: status.to_string(),
            ip_address: valid.ip_address,
            mac_address: valid.mac_address,
            firmware_version: valid.firmware_version,
            last_seen,
            config: Json(config),
        },
        given_id: id.is_some(),
        kept,
    })
}

pub fn parse_check(record: &csv::StringRecord) -> Result<Row<CheckCsv>, String> {
    let f = fields(record, CHECKS_HEADER.len())?;
    let int = |column: &str, text: &str, range: std::ops::RangeInclusive<i64>| {
        text.parse::<i64>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| format!("{column} {text:?} is not a whole number in {range:?}"))
    };
    let is_healthy = match f[2] {
        "true" => true,
        "false" => false,
        other => return Err(format!("is_healthy {other:?} is not true or false")),
    };
    if f[1].is_empty() || f[5].is_empty() || f[5].chars().count() > 200 {
        return Err("device and endpoint are required (endpoint at most 200 characters)".to_string());
    }
    let id = optional_id(f[0])?;
    let record = CheckCsv {
        id: id.unwrap_or_default(),
        device: f[1].to_string(),
        is_healthy,
        response_time_ms: int("response_time_ms", f[3], 0..=600_000)?,
        status_code: int("status_code", f[4], 100..=599)?,
        endpoint: f[5].to_string(),
        checked_at: time("timestamp", f[6])?,
    };
    Ok(Row { record, given_id: id.is_some(), kept: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_row_says_what_is_wrong() {
        let row = csv::StringRecord::from(vec!["0", "site 1", "", "", "", "yesterday"]);
        assert!(parse_site(&csv::StringRecord::from(vec!["", "site-1", "One", "", "", ""])).is_ok_and(|r| !r.given_id));
        let error = parse_site(&row).unwrap_err();
        assert!(error.contains("name") && error.contains("site_id"), "{error}");
        let short = csv::StringRecord::from(vec!["1", "x"]);
        assert!(parse_site(&short).unwrap_err().contains("expected 6 fields"));
    }
}
