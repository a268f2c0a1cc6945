//! Date filters as people read them: ISO days (`YYYY-MM-DD`, both ends inclusive) in the viewer's
//! time zone, and the year → month → day drill-down that narrows a list to one of them.
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::model::platform::time::Timestamp;
use crate::model::platform::zone::Zone;

/// A `YYYY-MM-DD` day; anything else is `None`.
pub fn parse_day(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// `date` as `YYYY-MM-DD`.
pub fn iso_day(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// A filter's days, each end optional and inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The instants a day range covers in one zone: at or after `since`, before `until`. Lists are
/// counted and cached under it, so two viewers in different zones never share a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeSpan {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

impl DayRange {
    pub fn parse(from: &str, to: &str) -> Self {
        Self { from: parse_day(from), to: parse_day(to) }
    }

    /// The instants these days cover in `zone` (`to`'s whole day included).
    pub fn in_zone(&self, zone: &Zone) -> TimeSpan {
        let start = |d: Date| Timestamp::from_unix(zone.start_of_day(d));
        TimeSpan { since: self.from.and_then(start), until: self.to.and_then(Date::next_day).and_then(start) }
    }
}

/// One link of a drill-down: its text and the days it selects (empty strings: every day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillLink {
    pub label: String,
    pub from: String,
    pub to: String,
}

/// Where a drill-down stands: the trail back up (the last one is the current view) and the
/// periods one level down that overlap the days from the first row to the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    pub trail: Vec<DrillLink>,
    pub choices: Vec<DrillLink>,
}

/// A period before it becomes a link: its text and its first and last days.
struct Period(String, Date, Date);

impl Period {
    fn link(self) -> DrillLink {
        DrillLink { label: self.0, from: iso_day(self.1), to: iso_day(self.2) }
    }
}

fn month_end(year: i32, month: Month) -> Option<Date> {
    Date::from_calendar_date(year, month, month.length(year)).ok()
}

fn year(year: i32) -> Option<Period> {
    Some(Period(year.to_string(), Date::from_ordinal_date(year, 1).ok()?, month_end(year, Month::December)?))
}

fn month(year: i32, month: Month) -> Option<Period> {
    Some(Period(month.to_string(), Date::from_calendar_date(year, month, 1).ok()?, month_end(year, month)?))
}

fn months_of(y: i32) -> Vec<Option<Period>> {
    (1..=12u8).filter_map(|m| Month::try_from(m).ok()).map(|m| month(y, m)).collect()
}

fn days_of(y: i32, m: Month) -> Vec<Option<Period>> {
    let short: String = m.to_string().chars().take(3).collect();
    (1..=m.length(y))
        .map(|d| Date::from_calendar_date(y, m, d).ok().map(|date| Period(format!("{d} {short}"), date, date)))
        .collect()
}

/// What a day range is, read as a drill-down level: a whole year, a whole month, one day, or other.
enum Level {
    All,
    Year(i32),
    Month(i32, Month),
    Day(Date),
    Other(Option<Date>, Option<Date>),
}

fn level(range: DayRange) -> Level {
    let (Some(from), Some(to)) = (range.from, range.to) else {
        return if range == DayRange::default() { Level::All } else { Level::Other(range.from, range.to) };
    };
    if from == to {
        Level::Day(from)
    } else if from.year() == to.year() && from.ordinal() == 1 && Some(to) == month_end(to.year(), Month::December) {
        Level::Year(from.year())
    } else if (from.year(), from.month()) == (to.year(), to.month())
        && from.day() == 1
        && Some(to) == month_end(to.year(), to.month())
    {
        Level::Month(from.year(), from.month())
    } else {
        Level::Other(Some(from), Some(to))
    }
}

/// The trail above `range` (itself last) and the periods one level below it.
fn trail_and_choices(
    range: DayRange,
    first: Option<Date>,
    last: Option<Date>,
) -> (Vec<Option<Period>>, Vec<Option<Period>>) {
    match level(range) {
        Level::All => match (first, last) {
            (Some(f), Some(l)) => (vec![], (f.year()..=l.year()).map(year).collect()),
            _ => (vec![], vec![]),
        },
        Level::Year(y) => (vec![year(y)], months_of(y)),
        Level::Month(y, m) => (vec![year(y), month(y, m)], days_of(y, m)),
        Level::Day(d) => {
            let day = Period(format!("{} {}", d.day(), d.month()), d, d);
            (vec![year(d.year()), month(d.year(), d.month()), Some(day)], vec![])
        }
        Level::Other(..) => (vec![], vec![]),
    }
}

/// The drill-down for a list filtered to `range`, whose data spans the days `first` to `last`
/// (none when the list is empty): the choices are the periods one level down within that span.
pub fn drill(range: DayRange, first: Option<Date>, last: Option<Date>) -> Drill {
    let mut trail = vec![DrillLink { label: "All dates".into(), from: String::new(), to: String::new() }];
    if let Level::Other(from, to) = level(range) {
        let text = |d: Option<Date>| d.map(iso_day);
        let label =
            format!("{} to {}", text(from).unwrap_or_else(|| "…".into()), text(to).unwrap_or_else(|| "…".into()));
        trail.push(DrillLink { label, from: text(from).unwrap_or_default(), to: text(to).unwrap_or_default() });
        return Drill { trail, choices: vec![] };
    }
    let (above, below) = trail_and_choices(range, first, last);
    trail.extend(above.into_iter().flatten().map(Period::link));
    let holds_data = |p: &Period| matches!((first, last), (Some(f), Some(l)) if p.1 <= l && p.2 >= f);
    let choices = below.into_iter().flatten().filter(holds_data).map(Period::link).collect();
    Drill { trail, choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        parse_day(text).unwrap()
    }

    fn labels(links: &[DrillLink]) -> Vec<&str> {
        links.iter().map(|l| l.label.as_str()).collect()
    }

    #[test]
    fn with_no_dates_the_choices_are_the_years_that_hold_data() {
        let d = drill(DayRange::default(), Some(day("2025-12-30")), Some(day("2026-02-01")));
        assert_eq!(labels(&d.trail), ["All dates"]);
        assert_eq!(labels(&d.choices), ["2025", "2026"]);
        assert_eq!((d.choices[1].from.as_str(), d.choices[1].to.as_str()), ("2026-01-01", "2026-12-31"));
        assert!(drill(DayRange::default(), None, None).choices.is_empty(), "an empty list offers no years");
    }

    #[test]
    fn a_year_offers_its_months_with_data_and_a_month_its_days() {
        let (first, last) = (Some(day("2026-10-15")), Some(day("2026-12-05")));
        let year = drill(DayRange::parse("2026-01-01", "2026-12-31"), first, last);
        assert_eq!(labels(&year.trail), ["All dates", "2026"]);
        assert_eq!(labels(&year.choices), ["October", "November", "December"]);
        let feb = drill(DayRange::parse("2024-02-01", "2024-02-29"), Some(day("2024-01-01")), last);
        assert_eq!(labels(&feb.trail), ["All dates", "2024", "February"]);
        assert_eq!(feb.choices.len(), 29, "a leap February has 29 days");
        assert_eq!((feb.choices[28].label.as_str(), feb.choices[28].from.as_str()), ("29 Feb", "2024-02-29"));
        let dec = drill(DayRange::parse("2026-12-01", "2026-12-31"), first, last);
        assert_eq!(dec.choices.len(), 5, "days after the last event are left out");
    }

    #[test]
    fn one_day_and_other_ranges_only_lead_back_up() {
        let d = drill(DayRange::parse("2026-11-03", "2026-11-03"), None, None);
        assert_eq!(labels(&d.trail), ["All dates", "2026", "November", "3 November"]);
        assert!(d.choices.is_empty());
        let other = drill(DayRange::parse("2026-11-03", ""), None, None);
        assert_eq!(labels(&other.trail), ["All dates", "2026-11-03 to …"]);
        let odd = drill(DayRange::parse("2026-11-03", "2026-11-09"), None, None);
        assert_eq!(labels(&odd.trail), ["All dates", "2026-11-03 to 2026-11-09"]);
    }

    #[test]
    fn days_are_read_in_the_viewers_zone() {
        let spans = vec![crate::model::platform::zone::ZoneSpan { from: 0, offset: 3600, abbr: "CET".into() }];
        let paris = Zone { name: "Europe/Paris".into(), spans };
        let span = DayRange::parse("2026-11-03", "2026-11-03").in_zone(&paris);
        assert_eq!(span.since.unwrap().rfc3339(), "2026-11-02T23:00:00Z");
        assert_eq!(span.until.unwrap().rfc3339(), "2026-11-03T23:00:00Z");
        let utc = DayRange::parse("", "2026-11-03").in_zone(&Zone::default());
        assert_eq!((utc.since, utc.until.unwrap().rfc3339()), (None, "2026-11-04T00:00:00Z".to_string()));
    }
}
