//! `Timestamp`: UTC, whole seconds. Second precision keeps SQLite's RFC 3339 text sortable.
use serde::{Deserialize, Serialize};
use time::{format_description::well_known::Rfc3339, OffsetDateTime, UtcOffset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct Timestamp(#[serde(with = "time::serde::rfc3339")] OffsetDateTime);

impl Timestamp {
    /// The current time, truncated to the second.
    pub fn now() -> Self {
        Self::from(OffsetDateTime::now_utc())
    }

    /// From seconds since the Unix epoch; `None` when out of range.
    pub fn from_unix(secs: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(secs).ok().map(Self::from)
    }

    pub fn unix(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (any RFC 3339 value) into a UTC second.
    pub fn parse(text: &str) -> Option<Self> {
        OffsetDateTime::parse(text, &Rfc3339).ok().map(Self::from)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the CSV and API form.
    pub fn rfc3339(&self) -> String {
        self.0.format(&Rfc3339).unwrap_or_default()
    }

    /// `2025-05-01 14:03 UTC`, for tables.
    pub fn display(&self) -> String {
        let d = self.0;
        format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", d.year(), u8::from(d.month()), d.day(), d.hour(), d.minute())
    }

    /// "5 s ago", "3 min ago", "2 h ago", "4 d ago" relative to `now`.
    pub fn ago(&self, now: Timestamp) -> String {
        let secs = (now.unix() - self.unix()).max(0);
        match secs {
            0..=59 => format!("{secs} s ago"),
            60..=3599 => format!("{} min ago", secs / 60),
            3600..=86_399 => format!("{} h ago", secs / 3600),
            _ => format!("{} d ago", secs / 86_400),
        }
    }

    pub fn plus_secs(&self, secs: i64) -> Self {
        Self::from_unix(self.unix().saturating_add(secs)).unwrap_or(*self)
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        let utc = value.to_offset(UtcOffset::UTC);
        Self(utc.replace_nanosecond(0).unwrap_or(utc))
    }
}
