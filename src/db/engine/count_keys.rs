//! What cached counts are kept under: typed keys, each in the domain whose writes drop it.
use super::generations::Domain;
use crate::model::admin::audit::AuditFilter;
use crate::model::fleet::device_filter::DeviceFilter;
use crate::model::platform::day_range::TimeSpan;
use crate::model::warehouse::submission_list::SubmissionFilter;

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
    /// The submissions not yet verified under a list filter (its position left out).
    UnverifiedSubmissions(SubmissionFilter),
}

impl CountKey {
    pub fn domain(&self) -> Domain {
        match self {
            CountKey::Devices(..) | CountKey::Sites { .. } | CountKey::ActiveDevicesWithStatus(_) => Domain::Fleet,
            // Every write to a submission is audited in its transaction, and the audit row
            // moves Admin at commit.
            CountKey::AuditEvents(..) | CountKey::UnverifiedSubmissions(_) => Domain::Admin,
        }
    }
}
