//! The submissions list: its filters (PO, item, date range, tablet type, kind), a row as the
//! list and its CSV show it, and a page with the unverified count under the same filters.
use serde::{Deserialize, Serialize};

use super::review::WaitReason;
use super::submissions::{BagStatus, SubmissionKind};
use crate::error::FieldErrors;
use crate::model::platform::csv_cell::neutralise;
use crate::model::platform::day_range::{iso_day, parse_day};
use crate::model::platform::page::clean_search;
use crate::model::platform::time::Timestamp;

/// Submissions per page of the list.
pub const SUBMISSION_PAGE: i64 = 15;

/// What the list shows: a PO (its number), an item (a tablet type's inventory item), days from
/// and to (inclusive), a tablet type (by name), a kind; and the keyset position, `day.id` of
/// the last row of the page before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmissionFilter {
    pub po: String,
    pub item: String,
    pub from: String,
    pub to: String,
    pub tablet_type: String,
    pub kind: String,
    pub after: String,
}

impl SubmissionFilter {
    /// The filter from a URL's parameters, as typed.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let field = |name: &str| get(name).unwrap_or_default();
        SubmissionFilter {
            po: field("po"),
            item: field("item"),
            from: field("from"),
            to: field("to"),
            tablet_type: field("tablet_type"),
            kind: field("kind"),
            after: field("after"),
        }
    }

    /// The filter made safe to run: text loses control characters and is cut to length; a day
    /// that is not one, a kind that is none, or a range that ends before it starts is refused
    /// with the field's message. A bad position starts from the newest.
    pub fn checked(&self) -> Result<SubmissionFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut day = |field: &str, raw: &str| {
            let raw = clean_search(raw);
            match parse_day(&raw) {
                Some(day) => iso_day(day),
                None if raw.is_empty() => raw,
                None => {
                    errors.insert(field.into(), format!("“{raw}” is not a day: enter it as YYYY-MM-DD."));
                    raw
                }
            }
        };
        let (from, to) = (day("from", &self.from), day("to", &self.to));
        if !from.is_empty() && !to.is_empty() && to < from {
            errors.insert("to".into(), "The last day comes before the first.".into());
        }
        let kind = clean_search(&self.kind);
        if !kind.is_empty() && SubmissionKind::parse(&kind).is_none() {
            errors.insert("kind".into(), "Choose packaged, bag or machine.".into());
        }
        let after = clean_search(&self.after);
        let filter = SubmissionFilter {
            po: clean_search(&self.po),
            item: clean_search(&self.item),
            from,
            to,
            tablet_type: clean_search(&self.tablet_type),
            kind,
            after: decode_position(&after).map(|(day, id)| encode_position(&day, id)).unwrap_or_default(),
        };
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }

    /// The keyset position: the day and id the page goes on after.
    pub fn position(&self) -> Option<(String, i64)> {
        decode_position(&self.after)
    }

    /// The filter's fields as URL pairs (the position left out), for links and the CSV.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("po", &self.po),
            ("item", &self.item),
            ("from", &self.from),
            ("to", &self.to),
            ("tablet_type", &self.tablet_type),
            ("kind", &self.kind),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }
}

/// `2026-12-05.41` for the row of day 2026-12-05 and id 41.
pub fn encode_position(day: &str, id: i64) -> String {
    format!("{day}.{id}")
}

fn decode_position(text: &str) -> Option<(String, i64)> {
    let (day, id) = text.split_once('.')?;
    let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
    parse_day(day).map(|day| (iso_day(day), id))
}

/// A submission as the list, the review queue and the CSV show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionRow {
    pub id: i64,
    pub kind: SubmissionKind,
    pub submitted_on: String,
    pub created_at: Timestamp,
    pub employee: String,
    pub employee_id: Option<i64>,
    /// The product of a packaged count, the machine of a machine count.
    pub product: Option<String>,
    pub machine: Option<String>,
    pub tablet_type: String,
    pub po: Option<String>,
    pub box_no: Option<i64>,
    pub bag_no: Option<i64>,
    pub displays: i64,
    pub packs: i64,
    pub loose: i64,
    pub turns: i64,
    pub good: i64,
    pub damaged: i64,
    /// Its bag's running total and label count, when it has a bag.
    pub bag: Option<(i64, i64)>,
    pub status: BagStatus,
    pub verified_by: Option<String>,
    pub admin_notes: String,
    pub waits: Option<WaitReason>,
}

/// The CSV's 18 columns, in DOMAIN.md's order.
pub const SUBMISSION_CSV_HEADER: [&str; 18] = [
    "Submission Date",
    "Created At",
    "Employee Name",
    "Product Name",
    "Tablet Type",
    "PO Number",
    "Box Number",
    "Bag Number",
    "Displays Made",
    "Packs Remaining",
    "Loose Tablets",
    "Damaged Tablets",
    "Total Tablets",
    "Running Total (Bag)",
    "Bag Label Count",
    "Count Status",
    "PO Assignment Verified",
    "Admin Notes",
];

impl SubmissionRow {
    /// The product, or for a machine count its machine.
    pub fn item_name(&self) -> &str {
        self.product.as_deref().or(self.machine.as_deref()).unwrap_or_default()
    }

    /// The row's CSV fields, in `SUBMISSION_CSV_HEADER`'s order; text a spreadsheet would read
    /// as a formula is quoted, counts stay numbers, and what a row lacks is left empty.
    pub fn csv_fields(&self) -> Vec<String> {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        vec![
            self.submitted_on.clone(),
            self.created_at.rfc3339(),
            neutralise(&self.employee),
            neutralise(self.item_name()),
            neutralise(&self.tablet_type),
            neutralise(self.po.as_deref().unwrap_or_default()),
            number(self.box_no),
            number(self.bag_no),
            self.displays.to_string(),
            self.packs.to_string(),
            self.loose.to_string(),
            self.damaged.to_string(),
            self.good.to_string(),
            number(self.bag.map(|(running, _)| running)),
            number(self.bag.map(|(_, label)| label)),
            self.status.as_str().to_string(),
            if self.verified_by.is_some() { "yes" } else { "no" }.to_string(),
            neutralise(&self.admin_notes),
        ]
    }
}

/// A page of the list, the position the next page starts after (if there is one), and how
/// many submissions under the same filters are not yet verified.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPage {
    pub rows: Vec<SubmissionRow>,
    pub next: Option<String>,
    pub unverified: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_refuses_what_is_not_a_day_or_a_kind_and_drops_a_bad_position() {
        let typed = SubmissionFilter {
            po: " PO-TEST-001\u{7}".into(),
            from: "2026-12-01".into(),
            to: "2026-12-05".into(),
            kind: "bag".into(),
            after: "2026-12-05.41".into(),
            ..Default::default()
        };
        let ok = typed.checked().unwrap();
        assert_eq!(ok.po, "PO-TEST-001");
        assert_eq!(ok.position(), Some(("2026-12-05".into(), 41)));
        assert_eq!(ok.pairs().len(), 4);
        let bad = SubmissionFilter { from: "2026-13-01".into(), kind: "box".into(), ..typed.clone() };
        let errors = bad.checked().unwrap_err();
        assert!(errors.contains_key("from") && errors.contains_key("kind"));
        let reversed = SubmissionFilter { from: "2026-12-06".into(), ..typed.clone() };
        assert!(reversed.checked().unwrap_err().contains_key("to"));
        let lost = SubmissionFilter { after: "x.1".into(), ..typed };
        assert_eq!(lost.checked().unwrap().after, "");
    }
}
