//! The home page's data: the fleet summary, what needs attention, and the user's own recent
//! changes.
use serde::{Deserialize, Serialize};

use crate::model::admin::audit::AuditRow;
use crate::model::fleet::sites::FleetSummary;
use crate::model::platform::time::Timestamp;

/// How many devices in error and offline sites the home page names; the rest are a link away.
pub const ATTENTION_LIMIT: usize = 5;

/// A device in error, as the home page names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionDevice {
    pub device_id: String,
    pub name: String,
    pub site_id: String,
    pub last_seen: Option<Timestamp>,
}

/// A site whose devices have all gone silent (it has devices, none online, none in error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionSite {
    pub site_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub summary: FleetSummary,
    /// The first devices in error, by device id (their total is in the summary).
    pub error_devices: Vec<AttentionDevice>,
    pub offline_sites: Vec<AttentionSite>,
    /// More sites are offline than `offline_sites` names.
    pub more_offline_sites: bool,
    /// For admins: what is wrong with the backups (failed, missing or stale), if anything.
    pub backup_problem: Option<String>,
    /// The user's own latest audited changes, newest first.
    pub recent: Vec<AuditRow>,
}

impl HomeData {
    pub fn devices_in_error(&self) -> i64 {
        self.summary.by_status.iter().find(|(s, _)| s == "error").map_or(0, |(_, n)| *n)
    }

    /// Nothing needs attention.
    pub fn all_clear(&self) -> bool {
        self.devices_in_error() == 0 && self.offline_sites.is_empty() && self.backup_problem.is_none()
    }
}

/// Where an audited object lives in the app, if it has a page.
pub fn entity_href(entity_type: &str, entity_id: &str) -> Option<String> {
    if entity_id.is_empty() {
        return None;
    }
    // Keys are letters, digits, '.', '_' and '-'; anything else (an old row) is escaped.
    let encoded: String = entity_id
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    match entity_type {
        "site" => Some(format!("/sites/{encoded}")),
        "device" => Some(format!("/devices/{encoded}")),
        "user" => Some(format!("/admin/users/{encoded}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_with_a_page_are_linked_and_their_ids_escaped() {
        assert_eq!(entity_href("site", "site-00042").as_deref(), Some("/sites/site-00042"));
        assert_eq!(entity_href("device", "till 2/a").as_deref(), Some("/devices/till%202%2Fa"));
        assert_eq!(entity_href("backup", "x.zst"), None);
        assert_eq!(entity_href("site", ""), None);
    }
}
