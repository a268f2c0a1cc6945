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
        let d = self.0;
        // A time read back by serde or sqlx is not truncated or moved to UTC (`from` is), so one
        // with an offset or a fraction is left to the `time` crate; so is a year it refuses ("").
        if !(0..=9999).contains(&d.year()) || d.offset() != UtcOffset::UTC || d.nanosecond() != 0 {
            return d.format(&Rfc3339).unwrap_or_default();
        }
        let mut out = date_and_minutes(d, 'T', 20);
        out.push(':');
        push_two(&mut out, d.second());
        out.push('Z');
        out
    }

    /// `2025-05-01 14:03 UTC`, for tables.
    pub fn display(&self) -> String {
        calendar_text(self.0, "UTC")
    }

    /// `2025-05-01 16:03 CEST`: the time in `zone`, named by the zone's abbreviation.
    pub fn display_in(&self, zone: &crate::model::platform::zone::Zone) -> String {
        let Some(span) = zone.span_at(self.unix()) else {
            return self.display();
        };
        let offset = UtcOffset::from_whole_seconds(span.offset).unwrap_or(UtcOffset::UTC);
        match self.0.checked_to_offset(offset) {
            Some(local) => calendar_text(local, &span.abbr),
            None => self.display(), // past the calendar's end on that clock: UTC's, named so
        }
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

// The texts of a time are written digit by digit, not with `format!`: a job page draws 100
// times with three texts each, and `format!`'s padded integers and growing strings were 12 % of
// the page's CPU (perf, release build, 100,000-target job).

/// Appends `n` (below 100) as two digits.
fn push_two(out: &mut String, n: u8) {
    out.push(char::from(b'0' + n / 10));
    out.push(char::from(b'0' + n % 10));
}

/// `YYYY-MM-DD?HH:MM` of `d` (a year of 0 to 9999), `between` in the middle, in a string with
/// room for `capacity` bytes.
fn date_and_minutes(d: OffsetDateTime, between: char, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let year = d.year() as u16; // 0 to 9999, checked by the callers
    push_two(&mut out, (year / 100) as u8);
    push_two(&mut out, (year % 100) as u8);
    out.push('-');
    push_two(&mut out, u8::from(d.month()));
    out.push('-');
    push_two(&mut out, d.day());
    out.push(between);
    push_two(&mut out, d.hour());
    out.push(':');
    push_two(&mut out, d.minute());
    out
}

/// `2025-05-01 16:03 CEST`: `d` as it reads on its own clock, named `abbr`.
fn calendar_text(d: OffsetDateTime, abbr: &str) -> String {
    if !(0..=9999).contains(&d.year()) {
        return format!(
            "{:04}-{:02}-{:02} {:02}:{:02} {abbr}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute()
        );
    }
    let mut out = date_and_minutes(d, ' ', 17 + abbr.len());
    out.push(' ');
    out.push_str(abbr);
    out
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
    }

    /// The texts written by hand read as `format!` and the `time` crate write them.
    #[test]
    fn times_read_as_the_formatters_write_them() {
        use time::format_description::well_known::Rfc3339;
        let paris = crate::model::platform::zone::Zone {
            name: "Europe/Paris".into(),
            spans: vec![crate::model::platform::zone::ZoneSpan { from: 0, offset: 7200, abbr: "CEST".into() }],
        };
        let mut unix = -62_167_219_200; // 0000-01-01T00:00:00Z
        while unix < 253_402_300_800 {
            let at = Timestamp::from_unix(unix).unwrap();
            let d = at.into_inner();
            assert_eq!(at.rfc3339(), d.format(&Rfc3339).unwrap());
            let (y, m, day, h, min) = (d.year(), u8::from(d.month()), d.day(), d.hour(), d.minute());
            assert_eq!(at.display(), format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02} UTC"));
            let local = d.to_offset(time::UtcOffset::from_whole_seconds(7200).unwrap());
            let (y, m, day, h, min) =
                (local.year(), u8::from(local.month()), local.day(), local.hour(), local.minute());
            assert_eq!(at.display_in(&paris), format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02} CEST"));
            unix += 7_777_777; // about three months, landing on every kind of day and hour
        }
        let last = Timestamp::from_unix(253_402_300_799).unwrap(); // 9999-12-31T23:59:59Z
        assert_eq!(last.display_in(&paris), "9999-12-31 23:59 UTC");
        assert_eq!(last.rfc3339(), "9999-12-31T23:59:59Z");
        let read_back: Timestamp = serde_json::from_str("\"2025-05-01T14:03:00.5+02:00\"").unwrap();
        assert_eq!(read_back.rfc3339(), "2025-05-01T14:03:00.5+02:00");
        for junk in ["", "\u{0}", "9999-99-99T99:99:99Z", "2025-05-01T14:03:00+99:99", "１２３"] {
            assert_eq!(Timestamp::parse(junk), None, "{junk:?}");
        }
    }
}
