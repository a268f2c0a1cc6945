//! A device's page: its details, its health-check history and the response-time chart.
use serde::{Deserialize, Serialize};

use crate::model::platform::time::Timestamp;

/// Everything the device page shows about one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceDetail {
    pub id: i64,
    pub device_id: String,
    pub name: String,
    pub device_type: String,
    pub status: String,
    pub site: String,
    pub site_name: String,
    pub ip_address: String,
    pub mac_address: String,
    pub firmware_version: String,
    pub last_seen: Option<Timestamp>,
    /// The config object, pretty-printed for reading and editing.
    pub config_pretty: String,
    pub active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Largest config a device may carry, in bytes of compact JSON.
pub const MAX_CONFIG_BYTES: usize = 16 * 1024;

/// Parses a config edited by hand: it must be a JSON object of at most `MAX_CONFIG_BYTES`.
pub fn parse_config(text: &str) -> Result<serde_json::Value, String> {
    let value: serde_json::Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("This is not valid JSON (line {}, column {}).", e.line(), e.column()))?;
    if !value.is_object() {
        return Err("The config must be a JSON object, like {\"heartbeat_s\": 30}.".to_string());
    }
    if value.to_string().len() > MAX_CONFIG_BYTES {
        return Err(format!("The config is too large (at most {} KB).", MAX_CONFIG_BYTES / 1024));
    }
    Ok(value)
}

/// One health check in a device's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthCheckRow {
    pub id: i64,
    pub is_healthy: bool,
    pub response_time_ms: i64,
    pub status_code: i64,
    pub endpoint: String,
    pub error_message: String,
    pub checked_at: Timestamp,
}

/// What a device's page shows, read in one call so the device is looked up once: the device,
/// its chart over one range and one page of its health checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevicePageData {
    pub device: DeviceDetail,
    pub chart: ResponseChart,
    pub checks: crate::model::platform::page::Page<HealthCheckRow>,
    /// The times of the device's first and last health check (for the date drill-down).
    pub first_check: Option<Timestamp>,
    pub last_check: Option<Timestamp>,
}

/// How many buckets a chart's range is cut into: 15 minutes each over 24 hours.
pub const CHART_BUCKETS: i64 = 96;

/// The chart's time ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartRange {
    Day,
    Week,
    Month,
}

impl ChartRange {
    pub const ALL: [ChartRange; 3] = [ChartRange::Day, ChartRange::Week, ChartRange::Month];

    /// From the URL's `range`; anything unknown is the last 24 hours.
    pub fn parse(text: &str) -> Self {
        match text {
            "7d" => ChartRange::Week,
            "30d" => ChartRange::Month,
            _ => ChartRange::Day,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            ChartRange::Day => "24h",
            ChartRange::Week => "7d",
            ChartRange::Month => "30d",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            ChartRange::Day => "Last 24 hours",
            ChartRange::Week => "Last 7 days",
            ChartRange::Month => "Last 30 days",
        }
    }

    pub fn seconds(&self) -> i64 {
        match self {
            ChartRange::Day => 86_400,
            ChartRange::Week => 7 * 86_400,
            ChartRange::Month => 30 * 86_400,
        }
    }

    /// Width of one chart bucket: `CHART_BUCKETS` buckets per range.
    pub fn bucket_seconds(&self) -> i64 {
        self.seconds() / CHART_BUCKETS
    }
}

/// One bucket of the response-time chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartBucket {
    /// Start of the bucket.
    pub start: Timestamp,
    pub checks: u32,
    pub unhealthy: u32,
    pub avg_ms: i64,
    pub max_ms: i64,
}

/// The chart's data: buckets with at least one check, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseChart {
    pub range: ChartRange,
    pub from: Timestamp,
    pub to: Timestamp,
    pub buckets: Vec<ChartBucket>,
}

/// One bucket's sums as the database grouped them; `index` counts bucket widths from the
/// window's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketSums {
    pub index: i64,
    pub checks: i64,
    pub unhealthy: i64,
    pub total_ms: i64,
    pub max_ms: i64,
}

impl ResponseChart {
    /// The chart over `range` ending at `to`, from its buckets' sums (any order). Buckets outside
    /// the window (a database clock a little ahead or behind) and empty ones are left out.
    pub fn from_sums(range: ChartRange, to: Timestamp, sums: impl IntoIterator<Item = BucketSums>) -> Self {
        let from = to.plus_secs(-range.seconds());
        let width = range.bucket_seconds();
        let mut buckets: Vec<ChartBucket> = sums
            .into_iter()
            .filter(|s| (0..CHART_BUCKETS).contains(&s.index) && s.checks > 0)
            .map(|s| ChartBucket {
                start: from.plus_secs(s.index * width),
                checks: u32::try_from(s.checks).unwrap_or(u32::MAX),
                unhealthy: u32::try_from(s.unhealthy).unwrap_or(u32::MAX),
                avg_ms: s.total_ms / s.checks,
                max_ms: s.max_ms,
            })
            .collect();
        buckets.sort_by_key(|b| b.start);
        Self { range, from, to, buckets }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_become_averaged_buckets_in_time_order_and_strays_are_left_out() {
        let to = Timestamp::from_unix(1_000_000).unwrap();
        let sums =
            |index, checks, unhealthy, total_ms, max_ms| BucketSums { index, checks, unhealthy, total_ms, max_ms };
        let chart = ResponseChart::from_sums(
            ChartRange::Day,
            to,
            [
                sums(95, 2, 1, 400, 300),
                sums(0, 1, 0, 50, 50),
                sums(-1, 4, 0, 9, 9),
                sums(96, 1, 0, 9, 9),
                sums(3, 0, 0, 0, 0),
            ],
        );
        assert_eq!(chart.buckets.len(), 2);
        assert_eq!(chart.buckets[0].start, to.plus_secs(-86_400));
        let newest = chart.buckets.last().unwrap();
        assert_eq!(newest.start, to.plus_secs(-900));
        assert_eq!((newest.checks, newest.unhealthy, newest.avg_ms, newest.max_ms), (2, 1, 200, 300));
        assert_eq!(ChartRange::parse("bogus"), ChartRange::Day);
    }

    #[test]
    fn configs_must_be_json_objects() {
        assert!(parse_config(" {\"a\": [1, 2]} ").is_ok());
        assert!(parse_config("[1]").unwrap_err().contains("JSON object"));
        assert!(parse_config("{\"a\": ").unwrap_err().contains("line 1"));
        let huge = format!("{{\"a\": \"{}\"}}", "x".repeat(MAX_CONFIG_BYTES));
        assert!(parse_config(&huge).unwrap_err().contains("too large"));
    }
}
