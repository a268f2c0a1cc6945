//! Fleet types: sites, devices and their derived status, as the pages show them.
use serde::{Deserialize, Serialize};

use crate::model::platform::page::Page;
use crate::model::platform::time::Timestamp;

pub const DEVICE_TYPES: [&str; 8] =
    ["pos_terminal", "kiosk", "printer", "scanner", "payment_gateway", "iot_sensor", "gateway", "unknown"];
pub const DEVICE_STATUSES: [&str; 5] = ["online", "offline", "maintenance", "error", "unknown"];

/// Derived site status: Online if any active device is online (reported within the freshness
/// window, `liveness`), else Warning if any active device is in error, else Offline. Archived
/// sites are always Offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SiteStatus {
    Online,
    Warning,
    Offline,
}

impl SiteStatus {
    pub fn label(&self) -> &'static str {
        match self {
            SiteStatus::Online => "Online",
            SiteStatus::Warning => "Warning",
            SiteStatus::Offline => "Offline",
        }
    }

    /// The status from the facts the database reports about a site's devices.
    pub fn derive(archived: bool, any_online: bool, any_error: bool) -> Self {
        match (archived, any_online, any_error) {
            (true, _, _) => SiteStatus::Offline,
            (false, true, _) => SiteStatus::Online,
            (false, false, true) => SiteStatus::Warning,
            _ => SiteStatus::Offline,
        }
    }
}

/// One row of the sites table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRow {
    pub id: i64,
    pub site_id: String,
    pub name: String,
    pub location: String,
    pub archived: bool,
    pub created_at: Timestamp,
    pub device_count: i64,
    pub status: SiteStatus,
}

/// A site page: details plus device health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteDetail {
    pub id: i64,
    pub site_id: String,
    pub name: String,
    pub description: String,
    pub location: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub archived: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub device_count: i64,
    pub healthy_count: i64,
    pub status: SiteStatus,
}

/// What a site's page shows: the site and one page of its active devices, read together so the
/// device count serves as the page's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SitePageData {
    pub site: SiteDetail,
    pub devices: Page<DeviceRow>,
}

impl SiteDetail {
    /// "H/T terminals healthy", or "No devices".
    pub fn health_text(&self) -> String {
        if self.device_count == 0 {
            "No devices".to_string()
        } else {
            format!("{}/{} terminals healthy", self.healthy_count, self.device_count)
        }
    }

    /// Whole percent healthy; 0 when there are no devices.
    pub fn health_percent(&self) -> i64 {
        if self.device_count == 0 {
            0
        } else {
            self.healthy_count * 100 / self.device_count
        }
    }
}

/// One row of a devices table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: i64,
    pub device_id: String,
    pub name: String,
    pub device_type: String,
    pub status: String,
    /// The site's human key (`site-00042`).
    pub site: String,
    pub ip_address: String,
    pub firmware_version: String,
    pub last_seen: Option<Timestamp>,
}

/// The home page's fleet summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetSummary {
    pub sites: i64,
    pub archived_sites: i64,
    pub devices: i64,
    /// (status, count) for every status in `DEVICE_STATUSES`, zeros included.
    pub by_status: Vec<(String, i64)>,
    pub now: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_sites_are_offline_even_with_live_devices() {
        assert_eq!(SiteStatus::derive(true, true, true), SiteStatus::Offline);
        assert_eq!(SiteStatus::derive(false, true, true), SiteStatus::Online);
        assert_eq!(SiteStatus::derive(false, false, true), SiteStatus::Warning);
        assert_eq!(SiteStatus::derive(false, false, false), SiteStatus::Offline);
    }
}
