//! A user's time zone as the pages need it: its name and the UTC offset it takes, span by span.
//! The server works the spans out from the tz database (`time_zone`, jiff), so the browser's
//! wasm carries no tz data, yet shows summer and winter time right for every time it draws.
use serde::{Deserialize, Serialize};

/// The spans carried start here (2000-01-01): a time before it takes the first span's offset.
/// Nothing Backroom keeps is older; a span a year is about 100 spans (3 KB) per zone to 2050.
pub const SPANS_FROM: i64 = 946_684_800;
/// …and end here (2050-01-01): a later time keeps the last span's offset.
pub const SPANS_UNTIL: i64 = 2_524_608_000;

/// One stretch of a zone's time: from `from` (Unix seconds) on, UTC + `offset` seconds, called
/// `abbr` ("CEST", "+03").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneSpan {
    pub from: i64,
    pub offset: i32,
    pub abbr: String,
}

/// A named zone and its spans in time order (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    pub name: String,
    pub spans: Vec<ZoneSpan>,
}

impl Default for Zone {
    fn default() -> Self {
        Zone { name: "UTC".into(), spans: vec![ZoneSpan { from: SPANS_FROM, offset: 0, abbr: "UTC".into() }] }
    }
}

impl Zone {
    /// The span in force at `unix`: the last that starts at or before it (the first for earlier).
    pub fn span_at(&self, unix: i64) -> Option<&ZoneSpan> {
        let after = self.spans.partition_point(|s| s.from <= unix);
        self.spans.get(after.saturating_sub(1))
    }

    /// The Unix second at which `date` begins here. The local midnight's offset is looked up at
    /// a first guess of that instant; where the clocks jump over midnight (America/Havana in
    /// March: 23:59:59 → 01:00), there is no midnight and the day begins with the new span.
    pub fn start_of_day(&self, date: time::Date) -> i64 {
        let local = date.midnight().assume_utc().unix_timestamp();
        let offset_at = |unix: i64| i64::from(self.span_at(unix).map_or(0, |s| s.offset));
        let start = local - offset_at(local - offset_at(local));
        if self.date_at(start) == Some(date) {
            return start;
        }
        let next = self.spans.partition_point(|s| s.from <= start);
        self.spans.get(next).map_or(start, |s| s.from)
    }

    /// The local date at `unix`.
    pub fn date_at(&self, unix: i64) -> Option<time::Date> {
        let offset = i64::from(self.span_at(unix).map_or(0, |s| s.offset));
        time::OffsetDateTime::from_unix_timestamp(unix.checked_add(offset)?).ok().map(|t| t.date())
    }

    pub fn is_utc(&self) -> bool {
        self.spans.iter().all(|s| s.offset == 0)
    }

    /// Whether a time here reads exactly as in UTC: offset 0 and named "UTC" (not "GMT").
    pub fn reads_as_utc(&self) -> bool {
        self.spans.iter().all(|s| s.offset == 0 && s.abbr == "UTC")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_span_in_force_is_the_last_one_started() {
        let span = |from: i64, offset: i32, abbr: &str| ZoneSpan { from, offset, abbr: abbr.into() };
        let paris = Zone {
            name: "Europe/Paris".into(),
            spans: vec![
                span(SPANS_FROM, 3600, "CET"),
                span(1_711_846_800, 7200, "CEST"),
                span(1_729_990_800, 3600, "CET"),
            ],
        };
        assert_eq!(paris.span_at(0).unwrap().abbr, "CET", "before the table: its first span");
        assert_eq!(paris.span_at(1_711_846_799).unwrap().offset, 3600);
        assert_eq!(paris.span_at(1_711_846_800).unwrap().abbr, "CEST");
        assert_eq!(paris.span_at(i64::MAX).unwrap().abbr, "CET");
        assert!(Zone::default().is_utc() && !paris.is_utc());
        let reykjavik = Zone { name: "Atlantic/Reykjavik".into(), spans: vec![span(SPANS_FROM, 0, "GMT")] };
        assert!(Zone::default().reads_as_utc() && reykjavik.is_utc() && !reykjavik.reads_as_utc());
        let day = |y, m: u8, d| time::Date::from_calendar_date(y, m.try_into().unwrap(), d).unwrap();
        assert_eq!(paris.start_of_day(day(2024, 3, 31)), 1_711_839_600, "the spring-forward day starts in CET");
        assert_eq!(paris.start_of_day(day(2024, 4, 1)), 1_711_922_400, "the next one in CEST");
        assert_eq!(paris.date_at(1_711_922_400), Some(day(2024, 4, 1)));
        assert_eq!(paris.date_at(1_711_922_399), Some(day(2024, 3, 31)));
        // Havana springs forward at local midnight (05:00 UTC): 10 March has no 00:00 and
        // begins at 01:00 CDT, the moment the new span starts.
        let havana = Zone {
            name: "America/Havana".into(),
            spans: vec![span(SPANS_FROM, -18_000, "CST"), span(1_710_046_800, -14_400, "CDT")],
        };
        assert_eq!(havana.start_of_day(day(2024, 3, 10)), 1_710_046_800);
        assert_eq!(havana.start_of_day(day(2024, 3, 9)), 1_709_960_400, "the day before keeps its last hour");
        assert_eq!(havana.start_of_day(day(2024, 3, 11)), 1_710_129_600);
    }
}
