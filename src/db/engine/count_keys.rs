//! What cached counts are kept under: typed keys, each in the domain whose writes drop it.
use super::generations::Domain;
use crate::model::admin::audit::AuditFilter;
use crate::model::fleet::device_filter::DeviceFilter;
use crate::model::platform::day_range::TimeSpan;

/// What a cached count counts. Typed, so two lists can never share an entry by accident (as
/// `"a|b" + "|"` and `"a" + "|b|"` could when keys were joined text).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CountKey {
    /// The devices table under a filter and a search.
    Devices(DeviceFilter, String),
    Sites {
        archived: bool,
        q: String,
    },
    ActiveDevicesWithStatus(&'static str),
    /// The audit log under a filter whose days cover `TimeSpan` in the viewer's zone.
    AuditEvents(AuditFilter, TimeSpan),
}

impl CountKey {
    pub fn domain(&self) -> Domain {
        match self {
            CountKey::Devices(..) | CountKey::Sites { .. } | CountKey::ActiveDevicesWithStatus(_) => Domain::Fleet,
            CountKey::AuditEvents(..) => Domain::Admin,
        }
    }
}
