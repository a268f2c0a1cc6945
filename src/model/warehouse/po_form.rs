//! A purchase order as typed: its header and its lines (blank lines are left out), checked
//! into values with a message per bad field. A line's fields are named `line-<n>-<field>`.
use serde::{Deserialize, Serialize};

use super::checks::{check_name, check_whole};
use crate::error::FieldErrors;

pub const MAX_NUMBER_CHARS: usize = 64;
/// The longest number a PO may have once made: an overs PO's is its parent's and `-OVERS`.
pub const MAX_PO_REF_CHARS: usize = MAX_NUMBER_CHARS + 6;
pub const MAX_VENDOR_CHARS: usize = 200;
pub const MAX_LINES: usize = 500;
pub const MAX_QUANTITY: i64 = 1_000_000_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoForm {
    pub number: String,
    pub vendor: String,
    pub tablet_type: String,
    pub lines: Vec<PoLineForm>,
    /// On an edit: the PO's `edit_token` as the form was drawn, so that a save over another
    /// manager's newer one is refused instead of undoing it.
    pub seen: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoLineForm {
    pub inventory_item: String,
    pub name: String,
    pub quantity: String,
}

impl PoLineForm {
    fn is_blank(&self) -> bool {
        self.inventory_item.trim().is_empty() && self.name.trim().is_empty() && self.quantity.trim().is_empty()
    }
}

/// A PO's checked values; `tablet_type` names a tablet type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoInput {
    pub number: String,
    pub vendor: String,
    pub tablet_type: Option<String>,
    pub lines: Vec<PoLineInput>,
}

/// A line's checked values; an empty name is the tablet type's that has this inventory item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoLineInput {
    /// Its row on the form (1 = the first), which its fields' messages name.
    pub row: usize,
    pub inventory_item: String,
    pub name: String,
    pub quantity: i64,
}

/// Numbers whose PO page address is another page's (`/pos/new`, `/pos/export`).
const RESERVED_NUMBERS: [&str; 2] = ["new", "export"];

/// A PO number: letters, digits, `.`, `_`, `-` (`PO-TEST-001`), as scanners and labels carry it.
fn check_number(errors: &mut FieldErrors, raw: &str) -> String {
    let number = check_name(errors, "number", raw, MAX_NUMBER_CHARS, true);
    if !errors.contains_key("number")
        && !number.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        errors.insert("number".into(), "A PO number may use only letters, digits, '.', '_' and '-'.".into());
    } else if RESERVED_NUMBERS.iter().any(|r| number.eq_ignore_ascii_case(r)) {
        errors.insert("number".into(), format!("/pos/{number} is the address of another page: choose another number."));
    }
    number
}

impl PoForm {
    /// A new PO's form: its number must follow the rules for numbers.
    pub fn validate(&self) -> Result<PoInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = check_number(&mut errors, &self.number);
        self.finish(number, errors)
    }

    /// An edit's form: the number only names the PO edited (an older one, or an overs PO's,
    /// may not follow today's rules for new numbers), so only its length is checked.
    pub fn validate_edit(&self) -> Result<PoInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = self.number.trim().to_string();
        if number.is_empty() || number.chars().count() > MAX_PO_REF_CHARS {
            errors.insert("number".into(), "No PO has this number.".into());
        }
        self.finish(number, errors)
    }

    fn finish(&self, number: String, mut errors: FieldErrors) -> Result<PoInput, FieldErrors> {
        let vendor = check_name(&mut errors, "vendor", &self.vendor, MAX_VENDOR_CHARS, false);
        let tablet_type = check_name(&mut errors, "tablet_type", &self.tablet_type, 100, false);
        let lines = self.check_lines(&mut errors);
        if errors.is_empty() {
            Ok(PoInput { number, vendor, tablet_type: Some(tablet_type).filter(|t| !t.is_empty()), lines })
        } else {
            Err(errors)
        }
    }

    fn check_lines(&self, errors: &mut FieldErrors) -> Vec<PoLineInput> {
        let filled: Vec<(usize, &PoLineForm)> =
            self.lines.iter().enumerate().filter(|(_, l)| !l.is_blank()).map(|(i, l)| (i + 1, l)).collect();
        if filled.is_empty() {
            errors.insert("lines".into(), "Add at least one line.".into());
        } else if filled.len() > MAX_LINES {
            errors.insert("lines".into(), format!("A PO has at most {MAX_LINES} lines."));
            return Vec::new(); // the lines of a post that big are not read one by one
        }
        let mut lines: Vec<PoLineInput> = Vec::new();
        let mut items = std::collections::HashSet::new();
        for (n, line) in filled {
            let field = |f: &str| format!("line-{n}-{f}");
            let item = check_name(errors, &field("inventory_item"), &line.inventory_item, 64, true);
            if !items.insert(item.clone()) {
                errors.insert(field("inventory_item"), "This item is on another line already.".into());
            }
            let name = check_name(errors, &field("name"), &line.name, 200, false);
            let quantity = check_whole(errors, &field("quantity"), &line.quantity, 1, MAX_QUANTITY, None);
            lines.push(PoLineInput { row: n, inventory_item: item, name, quantity });
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(item: &str, quantity: &str) -> PoLineForm {
        PoLineForm { inventory_item: item.into(), name: String::new(), quantity: quantity.into() }
    }

    #[test]
    fn blank_lines_are_left_out_and_each_bad_field_has_its_message() {
        let form = PoForm {
            number: "PO-TEST-001".into(),
            lines: vec![line("INV-7OH-18", "1,000"), PoLineForm::default(), line("INV-FIX-RELAX", "5")],
            ..Default::default()
        };
        let input = form.validate().unwrap();
        assert_eq!(input.lines.iter().map(|l| l.quantity).collect::<Vec<_>>(), [1000, 5]);
        assert_eq!(input.tablet_type, None);

        let bad = PoForm {
            number: "PO 1".into(),
            lines: vec![line("INV-1", "0"), line("INV-1", "3"), line("", "2")],
            ..Default::default()
        };
        let errors = bad.validate().unwrap_err();
        assert!(errors["number"].contains("only letters"));
        let taken = PoForm { number: "Export".into(), ..form.clone() }.validate().unwrap_err();
        assert_eq!(taken["number"], "/pos/Export is the address of another page: choose another number.");
        assert_eq!(errors["line-1-quantity"], "Must be greater than 0.");
        assert_eq!(errors["line-2-inventory_item"], "This item is on another line already.");
        assert_eq!(errors["line-3-inventory_item"], "This field is required.");
        let empty = PoForm { number: "PO-2".into(), lines: vec![PoLineForm::default()], ..Default::default() };
        assert_eq!(empty.validate().unwrap_err()["lines"], "Add at least one line.");
        let huge = PoForm { number: "PO-3".into(), lines: vec![line("X", "1"); MAX_LINES + 1], ..Default::default() };
        assert_eq!(huge.validate().unwrap_err().len(), 1, "one message, not one per line");
    }
}
