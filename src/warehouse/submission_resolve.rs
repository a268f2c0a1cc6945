//! A checked submission made into what is stored: its tablets by its kind's formula, its bag
//! by DOMAIN.md's matching (one match assigns the bag and its PO; two or more need review;
//! none is a warning, or a refusal for a bag count), and the PO line it counts on.
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::Tx;
use crate::db::warehouse::bag_match::{
    bag_by_label, first_product_tpp, line_for_type, machine_named, matching_bags, po_state_in, product_named, BagMatch,
};
use crate::db::warehouse::reference::find_by_name;
use crate::db::warehouse::submissions::SubmissionValues;
use crate::model::warehouse::reference::RefKind;
use crate::model::warehouse::settings::WarehouseSettings;
use crate::model::warehouse::submission_form::{BagRef, SubmissionInput};
use crate::model::warehouse::submissions::{machine_tablets, packaged_tablets, SubmissionKind};

/// What a submission is stored as, and what its maker is told when it is saved unassigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub values: SubmissionValues,
    pub warning: Option<String>,
}

/// How many matching bags are looked at: two already mean a person decides.
const MATCHES_READ: i64 = 10;

/// An edited submission's bag and PO as they stand (a manager may have chosen them). They stay
/// when the edit names the same bag (the same box and bag, or none) of the same tablet type,
/// instead of being matched again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    pub tablet_type_id: i64,
    pub numbers: Option<(i64, i64)>,
    pub bag_id: Option<i64>,
    pub po_id: Option<i64>,
}

impl Kept {
    fn holds(&self, bag: &BagRef, tablet_type_id: i64) -> bool {
        let numbers = match bag {
            BagRef::None => None,
            BagRef::Numbers { box_no, bag_no } => Some((*box_no, *bag_no)),
            BagRef::Label { .. } => return false,
        };
        let assigned = self.bag_id.is_some() || self.po_id.is_some();
        assigned && self.tablet_type_id == tablet_type_id && self.numbers == numbers
    }
}

/// Resolves `input` inside the write that stores it; `kept` is what an edit starts from.
pub async fn resolve(
    tx: &mut Tx,
    input: &SubmissionInput,
    settings: &WarehouseSettings,
    kept: Option<Kept>,
) -> WarehouseResult<Resolved> {
    let labelled = match &input.bag {
        BagRef::Label { po, place, box_no, bag_no } => Some(labelled_bag(tx, po, *place, *box_no, *bag_no).await?),
        _ => None,
    };
    let mut values = counted(tx, input, labelled.as_ref(), settings).await?;
    if let Some(bag) = &labelled {
        if bag.tablet_type_id != values.tablet_type_id {
            return Err(WarehouseError::field("bag_label", "This bag holds another tablet type than this count."));
        }
    }
    let kept = kept.filter(|k| k.holds(&input.bag, values.tablet_type_id));
    let warning = match (&input.bag, labelled, kept) {
        (_, Some(bag), _) => assign(&mut values, &bag),
        (_, None, Some(k)) => {
            (values.bag_id, values.po_id) = (k.bag_id, k.po_id);
            (values.box_no, values.bag_no) = (k.numbers.map(|n| n.0), k.numbers.map(|n| n.1));
            None
        }
        (BagRef::Numbers { box_no, bag_no }, None, None) => {
            let found = matching_bags(tx, values.tablet_type_id, *box_no, *bag_no, MATCHES_READ).await?;
            matched(&mut values, input.kind, *box_no, *bag_no, &found)?
        }
        _ => Some("Saved without a bag: a manager assigns it from the review queue.".to_string()),
    };
    let warning = match values.po_id {
        Some(po) => shut_po(tx, &mut values, po).await?.or(warning),
        None => warning,
    };
    let warning = match (values.po_id, input.kind.counts_on_line()) {
        (Some(po), true) => {
            values.po_line_id = line_for_type(tx, po, values.tablet_type_id).await?;
            let no_line = "The bag's PO has no line for this tablet type: the count waits for a manager.";
            warning.or_else(|| values.po_line_id.is_none().then(|| no_line.to_string()))
        }
        _ => warning,
    };
    Ok(Resolved { values, warning })
}

/// Locks PO `po` for the write; a closed or cancelled one takes no counts: the submission
/// keeps its bag and waits for a manager.
async fn shut_po(tx: &mut Tx, values: &mut SubmissionValues, po: i64) -> WarehouseResult<Option<String>> {
    match po_state_in(tx, po).await? {
        Some((number, true)) => {
            values.po_id = None;
            Ok(Some(format!("{number} is closed or cancelled: the count waits for a manager.")))
        }
        _ => Ok(None),
    }
}

/// The bag a label names, in a published receive.
async fn labelled_bag(tx: &mut Tx, po: &str, place: i64, box_no: i64, bag_no: i64) -> WarehouseResult<BagMatch> {
    let bag = bag_by_label(tx, po, place, box_no, bag_no).await?;
    let bag = bag.ok_or_else(|| WarehouseError::field("bag_label", "No received bag has this label."))?;
    match bag.receive_status.as_str() {
        "published" => Ok(bag),
        "draft" => Err(WarehouseError::field("bag_label", "This bag's receive is not published yet.")),
        _ => Err(WarehouseError::field("bag_label", "This bag's receive is closed: it takes no more counts.")),
    }
}

/// Sets the bag and its receive's PO; a warning when the receive has no PO yet.
fn assign(values: &mut SubmissionValues, bag: &BagMatch) -> Option<String> {
    values.bag_id = Some(bag.bag_id);
    values.box_no = Some(bag.box_no);
    values.bag_no = Some(bag.bag_no);
    values.po_id = bag.po_id;
    bag.po_id.is_none().then(|| "The bag's receive has no PO yet: the count waits for a manager.".to_string())
}

/// DOMAIN.md's three outcomes of matching by (tablet type, box, bag).
fn matched(
    values: &mut SubmissionValues,
    kind: SubmissionKind,
    box_no: i64,
    bag_no: i64,
    found: &[BagMatch],
) -> WarehouseResult<Option<String>> {
    values.box_no = Some(box_no);
    values.bag_no = Some(bag_no);
    match found {
        [one] => Ok(assign(values, one)),
        [] if kind == SubmissionKind::Bag => Err(WarehouseError::field(
            "bag_no",
            format!(
                "No received bag matches: no published receive has box {box_no}, bag {bag_no} of this tablet type."
            ),
        )),
        [] => Ok(Some(format!(
            "No received bag matches box {box_no}, bag {bag_no} of this tablet type: saved for a manager to assign."
        ))),
        many => {
            values.needs_review = true;
            let n = if many.len() as i64 >= MATCHES_READ {
                format!("{MATCHES_READ} or more")
            } else {
                many.len().to_string()
            };
            Ok(Some(format!("{n} received bags match box {box_no}, bag {bag_no}: a manager chooses one.")))
        }
    }
}

/// The tablets counted and what they were counted from, by the kind's own formula.
async fn counted(
    tx: &mut Tx,
    input: &SubmissionInput,
    labelled: Option<&BagMatch>,
    settings: &WarehouseSettings,
) -> WarehouseResult<SubmissionValues> {
    let mut v = typed(input);
    match input.kind {
        SubmissionKind::Packaged => packaged(tx, &mut v, &input.product).await?,
        SubmissionKind::Machine => {
            v.tablet_type_id = tablet_type(tx, &input.tablet_type, labelled).await?;
            machine(tx, &mut v, &input.machine, settings).await?;
        }
        SubmissionKind::Bag => v.tablet_type_id = tablet_type(tx, &input.tablet_type, labelled).await?,
    }
    if input.kind.counts_on_line() && v.good == 0 && v.damaged == 0 {
        let field = if input.kind == SubmissionKind::Machine { "turns" } else { "displays" };
        return Err(WarehouseError::field(field, "Nothing was counted: enter what was made or damaged."));
    }
    Ok(v)
}

/// The values as typed, before anything is looked up (a bag count's good is its count).
fn typed(input: &SubmissionInput) -> SubmissionValues {
    SubmissionValues {
        kind: input.kind,
        submitted_on: input.submitted_on.clone(),
        tablet_type_id: 0,
        product_id: None,
        machine_id: None,
        box_no: None,
        bag_no: None,
        displays: input.displays,
        packs: input.packs,
        loose: input.loose,
        turns: input.turns,
        ppd: 0,
        tpp: 0,
        cards_per_turn: 0,
        good: input.counted,
        damaged: input.damaged,
        bag_id: None,
        po_id: None,
        po_line_id: None,
        needs_review: false,
        admin_notes: input.admin_notes.clone(),
    }
}

/// A packaged count: the product's tablet type, ppd and tpp, and DOMAIN.md's formula.
async fn packaged(tx: &mut Tx, v: &mut SubmissionValues, name: &str) -> WarehouseResult<()> {
    let p = product_named(tx, name).await?;
    let p = p.ok_or_else(|| WarehouseError::field("product", "No product has this name."))?;
    if p.archived {
        return Err(WarehouseError::field("product", "This product is archived."));
    }
    (v.tablet_type_id, v.product_id, v.ppd, v.tpp) = (p.tablet_type_id, Some(p.id), p.ppd, p.tpp);
    v.good = packaged_tablets(p.ppd, p.tpp, v.displays, v.packs, v.loose)
        .map_err(|m| WarehouseError::field("product", m))?;
    Ok(())
}

/// A machine count: the machine's cards per turn (else the setting's), the tpp of the tablet
/// type's first product, and the machine formula.
async fn machine(
    tx: &mut Tx,
    v: &mut SubmissionValues,
    name: &str,
    settings: &WarehouseSettings,
) -> WarehouseResult<()> {
    let found = machine_named(tx, name).await?;
    let (id, cards, archived) = found.ok_or_else(|| WarehouseError::field("machine", "No machine has this name."))?;
    if archived {
        return Err(WarehouseError::field("machine", "This machine is not in use."));
    }
    v.machine_id = Some(id);
    v.cards_per_turn = cards.unwrap_or(settings.cards_per_turn);
    v.tpp = first_product_tpp(tx, v.tablet_type_id).await?.unwrap_or(0);
    v.good = machine_tablets(v.turns, v.cards_per_turn, v.tpp).map_err(|m| WarehouseError::field("turns", m))?;
    Ok(())
}

/// The tablet type named (or, when none is, the labelled bag's).
async fn tablet_type(tx: &mut Tx, name: &str, labelled: Option<&BagMatch>) -> WarehouseResult<i64> {
    match (name.is_empty(), labelled) {
        (true, Some(bag)) => Ok(bag.tablet_type_id),
        _ => match find_by_name(tx, RefKind::TabletTypes, name).await? {
            None => Err(WarehouseError::field("tablet_type", "No tablet type has this name.")),
            Some((_, true)) => Err(WarehouseError::field("tablet_type", "This tablet type is archived.")),
            Some((id, false)) => Ok(id),
        },
    }
}
