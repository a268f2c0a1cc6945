//! Receiving as DOMAIN.md gives it: a receive's status flow (draft → published → closed), the
//! names of receives and bags (`<PO>-<n>`, `<PO>-<n>-<box>-<bag>`), and the receive form.
use serde::{Deserialize, Serialize};

use super::checks::check_name;
use super::po_form::MAX_PO_REF_CHARS;
use crate::error::FieldErrors;
use crate::model::platform::day_range::{iso_day, parse_day};

pub const MAX_SHIPMENT_CHARS: usize = 100;
pub const MAX_NOTES_CHARS: usize = 2_000;
/// Bags one receive may hold: a pallet of 40 boxes of 100 bags, and some room.
pub const MAX_BAGS_PER_RECEIVE: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReceiveStatus {
    Draft,
    Published,
    Closed,
}

impl ReceiveStatus {
    pub const ALL: [ReceiveStatus; 3] = [ReceiveStatus::Draft, ReceiveStatus::Published, ReceiveStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            ReceiveStatus::Draft => "draft",
            ReceiveStatus::Published => "published",
            ReceiveStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReceiveStatus::Draft => "Draft",
            ReceiveStatus::Published => "Published",
            ReceiveStatus::Closed => "Closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The one status a receive moves on to, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            ReceiveStatus::Draft => Some(ReceiveStatus::Published),
            ReceiveStatus::Published => Some(ReceiveStatus::Closed),
            ReceiveStatus::Closed => None,
        }
    }

    /// Bags are added and removed while the receive is a draft: once published, the floor
    /// counts against them.
    pub fn bags_open(self) -> bool {
        self == ReceiveStatus::Draft
    }
}

/// A receive's name: its PO's number and its 1-based place among that PO's receives by
/// (date, id), `PO-TEST-001-2`.
pub fn receive_name(po_number: &str, place: i64) -> String {
    format!("{po_number}-{place}")
}

/// A bag's name: its receive's name, its box and its number in the box, `PO-TEST-001-2-3-12`.
pub fn bag_name(receive_name: &str, box_no: i64, bag_no: i64) -> String {
    format!("{receive_name}-{box_no}-{bag_no}")
}

/// A receive as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiveForm {
    pub po: String,
    pub shipment_ref: String,
    pub received_on: String,
    pub received_by: String,
    pub notes: String,
}

/// A receive's checked values: `received_on` is an ISO day, `po` a PO number if given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveInput {
    pub po: Option<String>,
    pub shipment_ref: String,
    pub received_on: String,
    pub received_by: String,
    pub notes: String,
}

impl ReceiveForm {
    /// Checks the form; the day it arrived is no later than tomorrow of `today` (a receive's
    /// date sets its name's place, so a mistyped year would put it last for good).
    pub fn validate(&self, today: time::Date) -> Result<ReceiveInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let po = check_name(&mut errors, "po", &self.po, MAX_PO_REF_CHARS, false);
        let shipment_ref = check_name(&mut errors, "shipment_ref", &self.shipment_ref, MAX_SHIPMENT_CHARS, false);
        let received_by = check_name(&mut errors, "received_by", &self.received_by, 100, true);
        let notes = check_notes(&mut errors, &self.notes);
        let latest = today.next_day().unwrap_or(today);
        let received_on = match parse_day(&self.received_on) {
            Some(day) if day.year() >= 2000 && day <= latest => iso_day(day),
            Some(day) if day > latest => {
                errors.insert("received_on".into(), "A receive cannot be dated after tomorrow.".into());
                String::new()
            }
            _ => {
                errors.insert("received_on".into(), "Enter the day it arrived, as YYYY-MM-DD.".into());
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ReceiveInput { po: Some(po).filter(|p| !p.is_empty()), shipment_ref, received_on, received_by, notes })
    }
}

/// Notes may run over lines; other control and format characters are refused.
fn check_notes(errors: &mut FieldErrors, raw: &str) -> String {
    let notes = raw.trim().replace("\r\n", "\n");
    let mut probe = FieldErrors::new();
    for line in notes.split('\n') {
        check_name(&mut probe, "notes", line, MAX_NOTES_CHARS, false);
    }
    if notes.chars().count() > MAX_NOTES_CHARS {
        errors.insert("notes".into(), format!("At most {MAX_NOTES_CHARS} characters."));
    } else if let Some(message) = probe.remove("notes") {
        errors.insert("notes".into(), message);
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_domain_md() {
        let receive = receive_name("PO-TEST-001", 2);
        assert_eq!(receive, "PO-TEST-001-2");
        assert_eq!(bag_name(&receive, 3, 12), "PO-TEST-001-2-3-12");
    }

    #[test]
    fn the_flow_runs_one_way_and_bags_change_only_in_a_draft() {
        assert_eq!(ReceiveStatus::Draft.next(), Some(ReceiveStatus::Published));
        assert_eq!(ReceiveStatus::Closed.next(), None);
        assert!(ReceiveStatus::Draft.bags_open());
        assert!(!ReceiveStatus::Published.bags_open());
    }

    #[test]
    fn the_form_checks_each_field() {
        let form = ReceiveForm {
            received_on: "2026-12-04".into(),
            received_by: "Dana".into(),
            notes: "two boxes\r\nwet corner".into(),
            ..Default::default()
        };
        let today = time::macros::date!(2026 - 12 - 05);
        let input = form.validate(today).unwrap();
        assert_eq!((input.po, input.notes.as_str()), (None, "two boxes\nwet corner"));
        let bad = ReceiveForm {
            received_on: "4/12/2026".into(),
            notes: "a\u{202e}b".into(),
            shipment_ref: "x".repeat(101),
            ..Default::default()
        };
        let errors = bad.validate(today).unwrap_err();
        assert!(errors["received_on"].contains("YYYY-MM-DD"));
        assert_eq!(errors["received_by"], "This field is required.");
        assert!(errors["notes"].contains("invisible"));
        assert!(errors["shipment_ref"].contains("100"));
        let later = ReceiveForm { received_on: "2062-12-04".into(), ..form };
        assert_eq!(later.validate(today).unwrap_err()["received_on"], "A receive cannot be dated after tomorrow.");
    }
}
