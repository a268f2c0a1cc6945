//! A floor submission as typed, and its checks: which fields each kind needs, whole numbers
//! in range, and the bag given by its numbers or by its label's name.
use serde::{Deserialize, Serialize};

use super::checks::{check_name, check_whole};
use super::receiving::MAX_NOTES_CHARS;
use super::scan::MAX_BOX_OR_BAG;
use super::submissions::SubmissionKind;
use crate::error::FieldErrors;
use crate::model::platform::day_range::{iso_day, parse_day};

/// The most displays, packs, loose tablets, turns or damaged tablets one submission holds.
pub const MAX_COUNT: i64 = 1_000_000;
const MAX_NAME_CHARS: usize = 200;

/// A submission as typed (every kind's fields; a kind reads the ones it has).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmissionForm {
    pub kind: String,
    pub submitted_on: String,
    pub product: String,
    pub machine: String,
    pub tablet_type: String,
    pub box_no: String,
    pub bag_no: String,
    /// A bag's label, scanned: its name (`PO-TEST-001-1-2-3`) names it exactly.
    pub bag_label: String,
    pub displays: String,
    pub packs: String,
    pub loose: String,
    pub counted: String,
    pub turns: String,
    pub damaged: String,
    pub admin_notes: String,
}

/// How a submission names its bag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BagRef {
    None,
    /// Box and bag numbers, matched with the tablet type over the published receives.
    Numbers {
        box_no: i64,
        bag_no: i64,
    },
    /// A label's name: the PO's number, the receive's place in it, the box and the bag.
    Label {
        po: String,
        place: i64,
        box_no: i64,
        bag_no: i64,
    },
}

/// A submission's checked values. `product` names the product (packaged), `machine` the
/// machine (machine), `tablet_type` the tablet type (bag and machine counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionInput {
    pub kind: SubmissionKind,
    pub submitted_on: String,
    pub product: String,
    pub machine: String,
    pub tablet_type: String,
    pub bag: BagRef,
    pub displays: i64,
    pub packs: i64,
    pub loose: i64,
    pub counted: i64,
    pub turns: i64,
    pub damaged: i64,
    pub admin_notes: String,
}

/// A bag label's name split from the right, since PO numbers hold dashes themselves:
/// `PO-TEST-001-1-2-3` is receive 1 of PO-TEST-001, box 2, bag 3.
pub fn parse_bag_label(text: &str) -> Option<BagRef> {
    let mut parts = text.trim().rsplitn(4, '-');
    let bag_no = number_part(parts.next()?)?;
    let box_no = number_part(parts.next()?)?;
    let place = number_part(parts.next()?)?;
    let po = parts.next().filter(|po| !po.is_empty())?;
    Some(BagRef::Label { po: po.to_string(), place, box_no, bag_no })
}

fn number_part(text: &str) -> Option<i64> {
    let all_digits = !text.is_empty() && text.len() <= 6 && text.bytes().all(|b| b.is_ascii_digit());
    all_digits.then(|| text.parse().ok()).flatten().filter(|n| (1..=MAX_BOX_OR_BAG).contains(n))
}

impl SubmissionForm {
    /// Checks the form; its day is no later than tomorrow of `today`.
    pub fn validate(&self, today: time::Date) -> Result<SubmissionInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = SubmissionKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert("kind".into(), "Choose packaged, bag count or machine.".into());
        }
        let kind = kind.unwrap_or(SubmissionKind::Packaged);
        let needs = |k: SubmissionKind| k == kind;
        let product =
            check_name(&mut errors, "product", &self.product, MAX_NAME_CHARS, needs(SubmissionKind::Packaged));
        let machine = check_name(&mut errors, "machine", &self.machine, MAX_NAME_CHARS, needs(SubmissionKind::Machine));
        let bag = self.bag_ref(&mut errors, kind);
        let type_needed = !needs(SubmissionKind::Packaged) && !matches!(bag, BagRef::Label { .. });
        let tablet_type = check_name(&mut errors, "tablet_type", &self.tablet_type, MAX_NAME_CHARS, type_needed);
        let count = |errors: &mut FieldErrors, field: &str, raw: &str, required: bool| {
            check_whole(errors, field, raw, 0, MAX_COUNT, (!required).then_some(0))
        };
        let packaged = needs(SubmissionKind::Packaged);
        let displays = if packaged { count(&mut errors, "displays", &self.displays, false) } else { 0 };
        let packs = if packaged { count(&mut errors, "packs", &self.packs, false) } else { 0 };
        let loose = if packaged { count(&mut errors, "loose", &self.loose, false) } else { 0 };
        let counted = if needs(SubmissionKind::Bag) { count(&mut errors, "counted", &self.counted, true) } else { 0 };
        let turns = if needs(SubmissionKind::Machine) { count(&mut errors, "turns", &self.turns, true) } else { 0 };
        let damaged = if packaged || needs(SubmissionKind::Machine) {
            count(&mut errors, "damaged", &self.damaged, false)
        } else {
            0
        };
        let admin_notes = check_name(&mut errors, "admin_notes", &self.admin_notes, MAX_NOTES_CHARS, false);
        let submitted_on = self.day(&mut errors, today);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SubmissionInput {
            kind,
            submitted_on,
            product,
            machine,
            tablet_type,
            bag,
            displays,
            packs,
            loose,
            counted,
            turns,
            damaged,
            admin_notes,
        })
    }

    /// The bag: a scanned label, else box and bag numbers (both or neither); a bag count
    /// needs one.
    fn bag_ref(&self, errors: &mut FieldErrors, kind: SubmissionKind) -> BagRef {
        let label = check_name(errors, "bag_label", &self.bag_label, MAX_NAME_CHARS, false);
        let (box_raw, bag_raw) = (self.box_no.trim(), self.bag_no.trim());
        if !label.is_empty() {
            let Some(bag) = parse_bag_label(&label) else {
                errors.insert("bag_label".into(), "This is not a bag's label: it reads like PO-TEST-001-1-2-3.".into());
                return BagRef::None;
            };
            if let BagRef::Label { box_no, bag_no, .. } = &bag {
                let typed = (box_raw, bag_raw);
                if typed != ("", "") && typed != (box_no.to_string().as_str(), bag_no.to_string().as_str()) {
                    let message = format!("The label names box {box_no}, bag {bag_no}: clear the box and bag typed.");
                    errors.insert("bag_label".into(), message);
                }
            }
            return bag;
        }
        if box_raw.is_empty() && bag_raw.is_empty() {
            if kind == SubmissionKind::Bag {
                errors.insert("bag_no".into(), "A bag count names its bag: its box and bag, or its label.".into());
            }
            return BagRef::None;
        }
        let box_no = check_whole(errors, "box_no", box_raw, 1, MAX_BOX_OR_BAG, None);
        let bag_no = check_whole(errors, "bag_no", bag_raw, 1, MAX_BOX_OR_BAG, None);
        BagRef::Numbers { box_no, bag_no }
    }

    fn day(&self, errors: &mut FieldErrors, today: time::Date) -> String {
        let latest = today.next_day().unwrap_or(today);
        match parse_day(&self.submitted_on) {
            Some(day) if day.year() >= 2000 && day <= latest => iso_day(day),
            Some(day) if day > latest => {
                errors.insert("submitted_on".into(), "A count cannot be dated after tomorrow.".into());
                String::new()
            }
            _ => {
                errors.insert("submitted_on".into(), "Enter the day it was counted, as YYYY-MM-DD.".into());
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> time::Date {
        time::macros::date!(2026 - 12 - 05)
    }

    fn packaged() -> SubmissionForm {
        SubmissionForm {
            kind: "packaged".into(),
            submitted_on: "2026-12-05".into(),
            product: "7OH 4ct".into(),
            displays: "2".into(),
            packs: "10".into(),
            loose: "7".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_label_names_its_po_receive_box_and_bag_from_the_right() {
        let label = parse_bag_label("PO-TEST-001-1-2-3");
        assert_eq!(label, Some(BagRef::Label { po: "PO-TEST-001".into(), place: 1, box_no: 2, bag_no: 3 }));
        assert_eq!(parse_bag_label("1-2-3"), None);
        assert_eq!(parse_bag_label("PO-1-0-3"), None);
        assert_eq!(parse_bag_label("PO-1-2-x"), None);
    }

    #[test]
    fn each_kind_asks_for_its_own_fields() {
        let input = packaged().validate(today()).unwrap();
        assert_eq!((input.displays, input.packs, input.loose, input.bag), (2, 10, 7, BagRef::None));
        let bag = SubmissionForm { kind: "bag".into(), submitted_on: "2026-12-05".into(), ..Default::default() };
        let errors = bag.validate(today()).unwrap_err();
        assert!(errors.contains_key("bag_no") && errors.contains_key("counted") && errors.contains_key("tablet_type"));
        let machine =
            SubmissionForm { kind: "machine".into(), submitted_on: "2026-12-05".into(), ..Default::default() };
        let errors = machine.validate(today()).unwrap_err();
        assert!(errors.contains_key("machine") && errors.contains_key("turns"));
    }

    #[test]
    fn odd_input_gets_a_field_message() {
        let huge = SubmissionForm { displays: "99999999999999999999".into(), ..packaged() };
        assert!(huge.validate(today()).unwrap_err().contains_key("displays"));
        let odd = SubmissionForm { product: "7OH\u{202e}4ct".into(), ..packaged() };
        assert!(odd.validate(today()).unwrap_err().contains_key("product"));
        let later = SubmissionForm { submitted_on: "2026-12-09".into(), ..packaged() };
        assert!(later.validate(today()).unwrap_err().contains_key("submitted_on"));
        let both =
            SubmissionForm { bag_label: "PO-1-1-2-3".into(), box_no: "2".into(), bag_no: "4".into(), ..packaged() };
        assert!(both.validate(today()).unwrap_err()["bag_label"].starts_with("The label names box 2, bag 3"));
        let same =
            SubmissionForm { bag_label: "PO-1-1-2-3".into(), box_no: "2".into(), bag_no: "3".into(), ..packaged() };
        assert!(same.validate(today()).is_ok());
        let half = SubmissionForm { box_no: "2".into(), ..packaged() };
        assert!(half.validate(today()).unwrap_err().contains_key("bag_no"));
        let kind = SubmissionForm { kind: "other".into(), ..packaged() };
        assert!(kind.validate(today()).unwrap_err().contains_key("kind"));
    }
}
