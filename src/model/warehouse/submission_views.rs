//! What the floor forms show: the products, tablet types and machines to choose from, with the
//! factors that give the tablets as they are typed (the same formulas the server stores by),
//! a saved submission as its maker sees it, and one to be changed.
use serde::{Deserialize, Serialize};

use super::checks::check_whole;
use super::review::WaitReason;
use super::submission_form::{SubmissionForm, MAX_COUNT};
use super::submissions::{machine_tablets, packaged_tablets, BagStatus, SubmissionKind};
use crate::error::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChoice {
    pub name: String,
    pub tablet_type: String,
    pub ppd: i64,
    pub tpp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletTypeChoice {
    pub name: String,
    /// Tablets per package of its first product (what a machine count multiplies by).
    pub first_tpp: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineChoice {
    pub name: String,
    pub cards_per_turn: Option<i64>,
}

/// The choices of the floor forms, in use ones only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorChoices {
    pub products: Vec<ProductChoice>,
    pub tablet_types: Vec<TabletTypeChoice>,
    pub machines: Vec<MachineChoice>,
    /// The setting used when a machine sets no cards per turn.
    pub cards_per_turn: i64,
}

impl FloorChoices {
    /// The good tablets `form` makes, as the server will compute them; `Err` with a short
    /// reason while something needed is missing or wrong.
    pub fn tablets(&self, form: &SubmissionForm) -> Result<i64, String> {
        let mut errors = FieldErrors::new();
        let mut n = |raw: &str| check_whole(&mut errors, "n", raw, 0, MAX_COUNT, Some(0));
        let kind = SubmissionKind::parse(&form.kind).ok_or("choose a kind")?;
        let total = match kind {
            SubmissionKind::Packaged => {
                let (displays, packs, loose) = (n(&form.displays), n(&form.packs), n(&form.loose));
                let p = self.products.iter().find(|p| same(&p.name, &form.product)).ok_or("choose a product")?;
                packaged_tablets(p.ppd, p.tpp, displays, packs, loose)
            }
            SubmissionKind::Bag => Ok(n(&form.counted)),
            SubmissionKind::Machine => {
                let turns = n(&form.turns);
                let t = self
                    .tablet_types
                    .iter()
                    .find(|t| same(&t.name, &form.tablet_type))
                    .ok_or("choose a tablet type")?;
                let m = self.machines.iter().find(|m| same(&m.name, &form.machine)).ok_or("choose a machine")?;
                machine_tablets(turns, m.cards_per_turn.unwrap_or(self.cards_per_turn), t.first_tpp.unwrap_or(0))
            }
        };
        match errors.is_empty() {
            true => total,
            false => Err(format!("whole numbers from 0 to {MAX_COUNT}")),
        }
    }
}

fn same(name: &str, typed: &str) -> bool {
    name.to_lowercase() == typed.trim().to_lowercase()
}

/// A submission's form as it was typed, to be changed by its maker (or a manager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableSubmission {
    pub id: i64,
    pub kind: SubmissionKind,
    pub form: SubmissionForm,
    pub made_by: String,
}

/// A saved submission, as the floor form shows it after a save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionSummary {
    pub id: i64,
    pub kind: SubmissionKind,
    pub good: i64,
    pub damaged: i64,
    /// The bag's name (`PO-TEST-001-1-2-3`), or its box and bag when its receive has no PO.
    pub bag: Option<String>,
    pub po: Option<String>,
    pub waits: Option<WaitReason>,
    /// Its bag's running total, label count and status, when it has a bag.
    pub bag_count: Option<(i64, i64, BagStatus)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> FloorChoices {
        FloorChoices {
            products: vec![ProductChoice { name: "7OH 4ct".into(), tablet_type: "18mg 7OH".into(), ppd: 20, tpp: 4 }],
            tablet_types: vec![TabletTypeChoice { name: "Blank Test".into(), first_tpp: Some(1) }],
            machines: vec![MachineChoice { name: "Blister line 1".into(), cards_per_turn: None }],
            cards_per_turn: 1,
        }
    }

    #[test]
    fn the_form_shows_domain_md_207_and_10_as_typed() {
        let packaged = SubmissionForm {
            kind: "packaged".into(),
            product: "7oh 4CT".into(),
            displays: "2".into(),
            packs: "10".into(),
            loose: "7".into(),
            damaged: "3".into(),
            ..Default::default()
        };
        assert_eq!(choices().tablets(&packaged), Ok(207));
        let machine = SubmissionForm {
            kind: "machine".into(),
            tablet_type: "Blank Test".into(),
            machine: "Blister line 1".into(),
            turns: "10".into(),
            ..Default::default()
        };
        assert_eq!(choices().tablets(&machine), Ok(10));
        assert!(choices().tablets(&SubmissionForm { turns: "x".into(), ..machine }).is_err());
        assert!(choices().tablets(&SubmissionForm { product: "other".into(), ..packaged }).is_err());
    }
}
