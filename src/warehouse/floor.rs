//! The floor forms' reads: the choices with their factors, and a saved submission as its maker
//! sees it (its tablets, its bag's name and status, its PO, and why it waits for a manager, if
//! it does).
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::Db;
use crate::db::warehouse::floor_reads::{
    bag_running_total, machine_choices, product_choices, saved_submission, tablet_type_choices,
};
use crate::db::warehouse::receives::get_receive;
use crate::db::warehouse::settings::warehouse_settings;
use crate::model::warehouse::receiving::{bag_name, receive_name};
use crate::model::warehouse::submission_views::{
    FloorChoices, MachineChoice, ProductChoice, SubmissionSummary, TabletTypeChoice, WaitReason,
};
use crate::model::warehouse::submissions::{bag_status, SubmissionKind};

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
    let waits = if s.needs_review {
        Some(WaitReason::NeedsReview)
    } else if s.receive_id.is_none() && s.po.is_none() {
        Some(WaitReason::NoBag)
    } else if s.po.is_none() || (kind.counts_on_line() && s.po_line_id.is_none()) {
        Some(WaitReason::Unassigned)
    } else {
        None
    };
    let bag_count = match s.bag_id {
        Some(bag) => bag_running_total(db, bag).await?.map(|(running, label)| {
            let tolerance = tolerance.count_tolerance;
            (running, label, bag_status(Some((running, label)), tolerance))
        }),
        None => None,
    };
    Ok(SubmissionSummary { id: s.id, kind, good: s.good, damaged: s.damaged, bag, po: s.po, waits, bag_count })
}
