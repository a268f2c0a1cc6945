//! The devices table's filters (status, type, site, firmware), parsed leniently from the URL.
use serde::{Deserialize, Serialize};

use crate::model::fleet::sites::{DEVICE_STATUSES, DEVICE_TYPES};
use crate::model::platform::facet::FacetChoice;

/// Longest site key or firmware version a filter keeps; longer values cannot exist.
const MAX_KEY_CHARS: usize = 64;

/// Filters that narrow the devices table. Empty strings mean "any"; unknown values are dropped
/// so a hand-edited URL shows the unfiltered list rather than an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeviceFilter {
    pub status: String,
    pub device_type: String,
    /// A site's human key (`site-00042`).
    pub site: String,
    pub firmware: String,
    /// Archived devices instead of the active ones.
    pub archived: bool,
}

impl DeviceFilter {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            status: get("status").unwrap_or_default(),
            device_type: get("type").unwrap_or_default(),
            site: get("site").unwrap_or_default(),
            firmware: get("firmware").unwrap_or_default(),
            archived: get("archived").as_deref() == Some("1"),
        }
        .clamped()
    }

    /// The same filter with every value checked again (server functions take it from anywhere).
    pub fn clamped(&self) -> Self {
        let known = |value: &str, allowed: &[&str]| {
            if allowed.contains(&value) {
                value.to_string()
            } else {
                String::new()
            }
        };
        let short = |value: &str| {
            let value = value.trim();
            if value.chars().count() <= MAX_KEY_CHARS && !value.chars().any(char::is_control) {
                value.to_string()
            } else {
                String::new()
            }
        };
        Self {
            status: known(self.status.trim(), &DEVICE_STATUSES),
            device_type: known(self.device_type.trim(), &DEVICE_TYPES),
            site: short(&self.site),
            firmware: short(&self.firmware),
            archived: self.archived,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
            && self.device_type.is_empty()
            && self.site.is_empty()
            && self.firmware.is_empty()
            && !self.archived
    }

    /// Query-string pairs for the filters that are set.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> =
            [("status", &self.status), ("type", &self.device_type), ("site", &self.site), ("firmware", &self.firmware)]
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k, v.clone()))
                .collect();
        if self.archived {
            pairs.push(("archived", "1".to_string()));
        }
        pairs
    }
}

/// The devices table's sidebar counts, each under the other filters and the search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFacets {
    pub status: Vec<FacetChoice>,
    pub types: Vec<FacetChoice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(pairs: &[(&str, &str)]) -> DeviceFilter {
        DeviceFilter::from_params(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn unknown_values_are_dropped_not_refused() {
        let f = filter(&[("status", "exploded"), ("type", "kiosk"), ("site", &"x".repeat(65))]);
        assert_eq!(f, DeviceFilter { device_type: "kiosk".into(), ..Default::default() });
        assert_eq!(f.params(), vec![("type", "kiosk".to_string())]);
    }

    #[test]
    fn known_values_round_trip_through_params() {
        let f = filter(&[("status", "error"), ("site", " site-00042 "), ("firmware", "2.1.0")]);
        assert_eq!(f.site, "site-00042");
        let again = filter(&f.params().iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>());
        assert_eq!(again, f);
        assert!(!f.is_empty());
        assert!(DeviceFilter::default().is_empty());
    }
}
