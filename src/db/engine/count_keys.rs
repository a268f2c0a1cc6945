//! What cached counts are kept under: typed keys, the domains whose writes drop them, and one
//! generation per domain that a committed write moves.
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::admin::audit::AuditFilter;
use crate::model::fleet::device_filter::DeviceFilter;

/// The domains whose writes drop their own cached counts: a site edit leaves the audit list's
/// total alone only if it wrote no audit row, so in practice both move on most writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Domain {
    Fleet,
    Admin,
}

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
    AuditEvents(AuditFilter),
}

impl CountKey {
    pub fn domain(&self) -> Domain {
        match self {
            CountKey::Devices(..) | CountKey::Sites { .. } | CountKey::ActiveDevicesWithStatus(_) => Domain::Fleet,
            CountKey::AuditEvents(_) => Domain::Admin,
        }
    }
}

/// One generation per domain. A committed write moves its domains' generation (`Tx::commit`),
/// and a count made under an older one is not shown again.
#[derive(Debug, Default)]
pub struct Generations([AtomicU64; 2]);

impl Generations {
    fn slot(&self, domain: Domain) -> &AtomicU64 {
        &self.0[domain as usize]
    }

    pub fn current(&self, domain: Domain) -> u64 {
        self.slot(domain).load(Ordering::Acquire)
    }

    /// Forgets the domain's counts: the set of its rows changed.
    pub fn advance(&self, domain: Domain) {
        self.slot(domain).fetch_add(1, Ordering::AcqRel);
    }

    /// Forgets every count (a restore replaced the data).
    pub fn advance_all(&self) {
        for domain in [Domain::Fleet, Domain::Admin] {
            self.advance(domain);
        }
    }
}
