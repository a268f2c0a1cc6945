//! Time zones from the tz database (jiff, with the database built in, so a server without
//! /usr/share/zoneinfo works the same): a name checked and turned into the spans a page
//! needs (`model::platform::zone`), and the list of names the account page offers.
use crate::model::platform::zone::{Zone, ZoneSpan, SPANS_FROM, SPANS_UNTIL};

/// Longest zone name accepted ("America/Argentina/ComodRivadavia" has 32 characters).
const MAX_NAME_CHARS: usize = 64;

/// The zone `name` ("Europe/Paris", "UTC"), or `None` when the database has no such zone.
pub fn zone_named(name: &str) -> Option<Zone> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return None;
    }
    let tz = jiff::tz::TimeZone::get(name).ok()?;
    let start = jiff::Timestamp::from_second(SPANS_FROM).ok()?;
    let end = jiff::Timestamp::from_second(SPANS_UNTIL).ok()?;
    let first = tz.to_offset_info(start);
    let mut spans =
        vec![ZoneSpan { from: SPANS_FROM, offset: first.offset().seconds(), abbr: first.abbreviation().to_string() }];
    for change in tz.following(start).take_while(|t| t.timestamp() < end) {
        spans.push(ZoneSpan {
            from: change.timestamp().as_second(),
            offset: change.offset().seconds(),
            abbr: change.abbreviation().to_string(),
        });
    }
    Some(Zone { name: tz.iana_name().unwrap_or(name).to_string(), spans })
}

/// Every zone name the database knows, sorted ("Africa/Abidjan" … "Zulu").
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::platform::time::Timestamp;

    #[test]
    fn paris_keeps_summer_and_winter_time_and_junk_is_refused() {
        let paris = zone_named("Europe/Paris").unwrap();
        let winter = Timestamp::parse("2025-01-15T12:00:00Z").unwrap();
        let summer = Timestamp::parse("2025-07-15T12:00:00Z").unwrap();
        assert_eq!(winter.display_in(&paris), "2025-01-15 13:00 CET");
        assert_eq!(summer.display_in(&paris), "2025-07-15 14:00 CEST");
        let kolkata = zone_named("Asia/Kolkata").unwrap();
        assert_eq!(summer.display_in(&kolkata), "2025-07-15 17:30 IST");
        assert!(zone_named("UTC").unwrap().is_utc());
        for junk in ["", "Mars/Olympus", "Europe/Paris\u{0}", "../../etc/passwd", &"x".repeat(100)] {
            assert_eq!(zone_named(junk), None, "{junk:?}");
        }
        assert!(zone_names().len() > 300 && zone_names().contains(&"Europe/Paris".to_string()));
    }
}
