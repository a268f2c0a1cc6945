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
        // An offset at the edge of the calendar can push the UTC time out of RFC 3339's years
        // 0000–9999: `9999-12-31T23:59:59-23:59` parses, but has no UTC value to write back.
        let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
        let utc = parsed.checked_to_offset(UtcOffset::UTC).filter(|t| (0..=9999).contains(&t.year()))?;
        Some(Self::from(utc))
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

    /// `2025-05-01 16:03 CEST`: the time in `zone`, named by the zone's abbreviation.
    pub fn display_in(&self, zone: &crate::model::platform::zone::Zone) -> String {
        let Some(span) = zone.span_at(self.unix()) else {
            return self.display();
        };
        let offset = UtcOffset::from_whole_seconds(span.offset).unwrap_or(UtcOffset::UTC);
        let d = self.0.checked_to_offset(offset).unwrap_or(self.0);
        let (month, abbr) = (u8::from(d.month()), &span.abbr);
        format!("{:04}-{month:02}-{:02} {:02}:{:02} {abbr}", d.year(), d.day(), d.hour(), d.minute())
    }

    /// "5 s ago", "3 min ago", "2 h ago", "4 d ago" relative to `now`.
    pub fn ago(&self, now: Timestamp) -> String {
        format!("{} ago", span(now.unix() - self.unix()))
    }

    /// The UTC date and time.
    pub fn into_inner(self) -> OffsetDateTime {
        self.0
    }

    pub fn plus_secs(&self, secs: i64) -> Self {
        Self::from_unix(self.unix().saturating_add(secs)).unwrap_or(*self)
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        let utc = value.checked_to_offset(UtcOffset::UTC).unwrap_or(value);
        Self(utc.replace_nanosecond(0).unwrap_or(utc))
    }
}

/// "5 s", "3 min", "2 h", "4 d": a length of time, rounded down to its largest unit.
pub fn span(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min", secs / 60),
        3600..=86_399 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::platform::time::Timestamp;

    #[test]
    fn parsing_never_panics_at_the_edges_of_the_calendar() {
        assert_eq!(Timestamp::parse("9999-12-31T23:59:59-23:59"), None);
        assert_eq!(Timestamp::parse("0000-01-01T00:00:00+23:59"), None);
        assert_eq!(
            Timestamp::parse("2025-05-01T14:03:00+02:00").map(|t| t.rfc3339()).as_deref(),
            Some("2025-05-01T12:03:00Z")
        );
        for junk in ["", "\u{0}", "9999-99-99T99:99:99Z", "2025-05-01T14:03:00+99:99", "１２３"] {
            assert_eq!(Timestamp::parse(junk), None, "{junk:?}");
        }
    }
}
