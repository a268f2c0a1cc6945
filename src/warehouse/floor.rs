//! The floor forms' reads: the choices with their factors, a saved submission as its maker
//! sees it (its tablets, its bag's name and status, its PO, and why it waits for a manager, if
//! it does), and a submission's form filled in again for its edit.
use super::submissions::{may_change, Changer};
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::Db;
use crate::db::platform::audit::Actor;
use crate::db::warehouse::floor_reads::{
    bag_running_total, machine_choices, product_choices, saved_submission, stored_form, tablet_type_choices,
};
use crate::db::warehouse::receives::get_receive;
use crate::db::warehouse::settings::warehouse_settings;
use crate::model::warehouse::receiving::{bag_name, receive_name};
use crate::model::warehouse::review::{WaitFacts, WaitReason};
use crate::model::warehouse::submission_form::SubmissionForm;
use crate::model::warehouse::submission_views::{
    EditableSubmission, FloorChoices, MachineChoice, ProductChoice, SubmissionSummary, TabletTypeChoice,
};
use crate::model::warehouse::submissions::{bag_status, BagStatus, SubmissionKind};

/// The products, tablet types and machines in use, and the cards-per-turn setting.
pub async fn floor_choices(db: &Db) -> WarehouseResult<FloorChoices> {
    let products = product_choices(db).await?.into_iter();
    let types = tablet_type_choices(db).await?.into_iter();
    let machines = machine_choices(db).await?.into_iter();
    Ok(FloorChoices {
        products: products
            .map(|p| ProductChoice { name: p.name, tablet_type: p.tablet_type, ppd: p.ppd, tpp: p.tpp })
            .collect(),
        tablet_types: types.map(|(name, first_tpp)| TabletTypeChoice { name, first_tpp }).collect(),
        machines: machines.map(|(name, cards_per_turn)| MachineChoice { name, cards_per_turn }).collect(),
        cards_per_turn: warehouse_settings(db).await?.cards_per_turn,
    })
}

/// Submission `id` as the floor form shows it after a save.
pub async fn submission_summary(db: &Db, id: i64) -> WarehouseResult<SubmissionSummary> {
    let s = saved_submission(db, id).await?.ok_or(WarehouseError::NotFound)?;
    let tolerance = warehouse_settings(db).await?;
    let kind = SubmissionKind::parse(&s.kind).unwrap_or(SubmissionKind::Packaged);
    let numbers = s.box_no.zip(s.bag_no);
    let bag = match (s.receive_id, numbers) {
        (Some(receive), Some((box_no, bag_no))) => {
            let r = get_receive(db, receive).await?;
            let named = r.and_then(|r| Some(receive_name(r.po.as_deref()?, r.place?)));
            Some(named.map_or_else(|| format!("box {box_no}, bag {bag_no}"), |n| bag_name(&n, box_no, bag_no)))
        }
        _ => None,
    };
    let bag_count = match s.bag_id {
        Some(bag) => bag_running_total(db, bag).await?.map(|(running, label)| {
            let tolerance = tolerance.count_tolerance;
            (running, label, bag_status(Some((running, label)), tolerance))
        }),
        None => None,
    };
    let waits = WaitReason::of(&WaitFacts {
        kind,
        needs_review: s.needs_review,
        has_bag: s.bag_id.is_some(),
        has_po: s.po.is_some(),
        has_line: s.po_line_id.is_some(),
        status: bag_count.map_or(BagStatus::NoBag, |(_, _, status)| status),
    });
    Ok(SubmissionSummary { id: s.id, kind, good: s.good, damaged: s.damaged, bag, po: s.po, waits, bag_count })
}

/// Submission `id`'s form as it was typed, for `actor` to change (`may_change`'s rule first).
pub async fn submission_for_edit(
    db: &Db,
    actor: &Actor,
    changer: Changer,
    id: i64,
) -> WarehouseResult<EditableSubmission> {
    let s = stored_form(db, id).await?.ok_or(WarehouseError::NotFound)?;
    may_change(actor, changer, (&s.employee, s.employee_id), s.verified_by.is_some())?;
    let kind = SubmissionKind::parse(&s.kind).unwrap_or(SubmissionKind::Packaged);
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let count = |n: i64, shown: bool| if shown { n.to_string() } else { String::new() };
    let form = SubmissionForm {
        kind: kind.as_str().to_string(),
        submitted_on: s.submitted_on,
        product: s.product.unwrap_or_default(),
        machine: s.machine.unwrap_or_default(),
        tablet_type: s.tablet_type,
        box_no: number(s.box_no),
        bag_no: number(s.bag_no),
        bag_label: String::new(),
        displays: count(s.displays, kind == SubmissionKind::Packaged),
        packs: count(s.packs, kind == SubmissionKind::Packaged),
        loose: count(s.loose, kind == SubmissionKind::Packaged),
        counted: count(s.good, kind == SubmissionKind::Bag),
        turns: count(s.turns, kind == SubmissionKind::Machine),
        damaged: count(s.damaged, kind != SubmissionKind::Bag),
        admin_notes: s.admin_notes,
    };
    Ok(EditableSubmission { id, kind, form, made_by: s.employee })
}
