//! The warehouse's rows of the permission matrix: reference data and settings, purchase
//! orders, receiving, floor submissions. Each entry's body is a valid call for the first role allowed.
use backroom::api::warehouse::dashboard::{GetBagBoard, GetWarehouseDashboard};
use backroom::api::warehouse::purchase_orders::{
    ClosePurchaseOrder, CreateOversPurchaseOrder, CreatePurchaseOrder, EditPurchaseOrder, GetPurchaseOrder,
    ListPurchaseOrders, MovePurchaseOrder,
};
use backroom::api::warehouse::recalculate::{FixDrift, GetDriftReport};
use backroom::api::warehouse::receiving::{
    AdvanceReceive, AssignReceivePo, CreateReceive, GetReceive, GetReceiveLabels, ListReceives, RemoveReceiveBag,
    ScanIntoReceive,
};
use backroom::api::warehouse::reference::{
    CreateReferenceRow, GetReferenceRow, ListReferenceNames, ListReferenceRows, SetReferenceArchived,
    TakeReferenceImportReport, UpdateReferenceRow,
};
use backroom::api::warehouse::settings::{GetWarehouseSettings, UpdateWarehouseSettings};
use backroom::api::warehouse::submission_list::{GetReviewQueue, ListSubmissions, ReviewSubmissions};
use backroom::api::warehouse::submissions::{
    DeleteSubmission, GetFloorChoices, GetSubmissionForEdit, GetSubmissionSummary, RecordSubmission,
};
use backroom::db::engine::Db;
use backroom::model::platform::user::Role;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::model::warehouse::reference::RefInput;
use backroom::warehouse::po_edit::edit_token_of;
use leptos::server_fn::ServerFn;

use super::Access;
use crate::support::http::form;

/// Reference data and settings: the category the first entry makes (id 1) is then read,
/// renamed and archived.
pub fn reference_matrix() -> Vec<(&'static str, Access, String)> {
    let category = |name: &str| backroom::model::warehouse::reference::RefForm {
        name: name.into(),
        position: "1".into(),
        ..Default::default()
    };
    let create =
        serde_qs::to_string(&CreateReferenceRow { kind: "categories".into(), form: category("Matrix"), then: None })
            .unwrap();
    let update =
        serde_qs::to_string(&UpdateReferenceRow { kind: "categories".into(), id: 1, form: category("Matrix 2") })
            .unwrap();
    let settings = form(&[("form[cards_per_turn]", "1"), ("form[count_tolerance]", "5")]);
    vec![
        (CreateReferenceRow::PATH, Access::AtLeast(Role::Manager), create),
        (
            ListReferenceRows::PATH,
            Access::AtLeast(Role::Viewer),
            form(&[("kind", "categories"), ("q", ""), ("archived", "false")]),
        ),
        (GetReferenceRow::PATH, Access::AtLeast(Role::Viewer), form(&[("kind", "categories"), ("id", "1")])),
        (ListReferenceNames::PATH, Access::AtLeast(Role::Viewer), form(&[("kind", "categories")])),
        (UpdateReferenceRow::PATH, Access::AtLeast(Role::Manager), update),
        (
            SetReferenceArchived::PATH,
            Access::AtLeast(Role::Manager),
            form(&[("kind", "categories"), ("id", "1"), ("archive", "true")]),
        ),
        (TakeReferenceImportReport::PATH, Access::AtLeast(Role::Manager), String::new()),
        (GetWarehouseSettings::PATH, Access::AtLeast(Role::Admin), String::new()),
        (UpdateWarehouseSettings::PATH, Access::AtLeast(Role::Admin), settings),
    ]
}

/// PO-MATRIX: one line of 10, 12 counted (so it has overs to make a PO of).
pub async fn add_po_with_overs(db: &Db) {
    let form = PoForm { number: "PO-MATRIX".into(), lines: vec![po_line("ITEM-M", "10")], ..Default::default() };
    let now = backroom::model::platform::time::Timestamp::now();
    let actor = crate::support::builders::actor();
    backroom::warehouse::purchase_orders::create_po(db, &actor, &form.validate().unwrap(), now).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    tx.execute(backroom::db::engine::Sql::new("update po_lines set good = 12")).await.unwrap();
    tx.commit().await.unwrap();
    let kind = RefInput::TabletType { name: "Matrix type".into(), inventory_item: "ITEM-M".into(), category: None };
    backroom::warehouse::reference::create_reference(db, &actor, &kind, now).await.unwrap();
}

fn po_line(item: &str, quantity: &str) -> PoLineForm {
    PoLineForm { inventory_item: item.into(), name: "Matrix tablets".into(), quantity: quantity.into() }
}

/// Purchase orders: PO-MATRIX (see `add_po_with_overs`) is read, moved, given its overs PO and
/// closed; the create makes another.
pub fn po_matrix() -> Vec<(&'static str, Access, String)> {
    let new = PoForm { number: "PO-MATRIX-2".into(), lines: vec![po_line("ITEM-M", "5")], ..Default::default() };
    let create = serde_qs::to_string(&CreatePurchaseOrder { form: new.clone() }).unwrap();
    // PO-MATRIX-2 as the create leaves it, which the edit names.
    let seen = edit_token_of("", None, &[(1, "ITEM-M", "Matrix tablets", 5)]);
    let edited = PoForm { vendor: "Matrix vendor".into(), seen, ..new };
    let edit = serde_qs::to_string(&EditPurchaseOrder { form: edited }).unwrap();
    let number = form(&[("number", "PO-MATRIX")]);
    vec![
        (ListPurchaseOrders::PATH, Access::AtLeast(Role::Viewer), String::new()),
        (GetPurchaseOrder::PATH, Access::AtLeast(Role::Viewer), number.clone()),
        (CreatePurchaseOrder::PATH, Access::AtLeast(Role::Manager), create),
        (EditPurchaseOrder::PATH, Access::AtLeast(Role::Manager), edit),
        (
            MovePurchaseOrder::PATH,
            Access::AtLeast(Role::Manager),
            form(&[("number", "PO-MATRIX"), ("status", "issued")]),
        ),
        (CreateOversPurchaseOrder::PATH, Access::AtLeast(Role::Manager), number),
        (
            ClosePurchaseOrder::PATH,
            Access::AtLeast(Role::Manager),
            form(&[("number", "PO-MATRIX"), ("reason", "matrix")]),
        ),
    ]
}

/// Receiving: each role allowed makes a receive on PO-MATRIX-2 (made by the PO rows; staff's is
/// receive 1) and scans a bag into receive 1; staff remove its first bag and publish it; a
/// manager moves receive 2 to the overs PO the PO rows made (the admin then meets "already").
pub fn receiving_matrix() -> Vec<(&'static str, Access, String)> {
    let receive = form(&[("form[po]", "PO-MATRIX-2"), ("form[received_on]", "2026-12-05"), ("form[received_by]", "M")]);
    let scan = form(&[("id", "1"), ("box_no", "1"), ("tablet_type", "Matrix type"), ("scan", "480")]);
    let id = form(&[("id", "1")]);
    vec![
        (CreateReceive::PATH, Access::AtLeast(Role::Staff), receive),
        (ListReceives::PATH, Access::AtLeast(Role::Viewer), String::new()),
        (ScanIntoReceive::PATH, Access::AtLeast(Role::Staff), scan),
        (RemoveReceiveBag::PATH, Access::AtLeast(Role::Staff), form(&[("id", "1"), ("bag", "1")])),
        (GetReceive::PATH, Access::AtLeast(Role::Viewer), id.clone()),
        (GetReceiveLabels::PATH, Access::AtLeast(Role::Viewer), id),
        (AssignReceivePo::PATH, Access::AtLeast(Role::Manager), form(&[("id", "2"), ("po", "PO-MATRIX-OVERS")])),
        (AdvanceReceive::PATH, Access::AtLeast(Role::Staff), form(&[("id", "1"), ("status", "published")])),
    ]
}

/// Floor submissions: each role allowed counts bag 2 of box 1 of receive 1 (published by the
/// receiving rows); staff's count is submission 1, which is then read, opened for its edit and
/// deleted by its maker; the queue's approval of it is reported as refused, not an error.
/// Admins read the drift.
pub fn submissions_matrix() -> Vec<(&'static str, Access, String)> {
    let count = form(&[
        ("form[kind]", "bag"),
        ("form[submitted_on]", "2026-12-05"),
        ("form[tablet_type]", "Matrix type"),
        ("form[box_no]", "1"),
        ("form[bag_no]", "2"),
        ("form[counted]", "480"),
    ]);
    vec![
        (GetFloorChoices::PATH, Access::AtLeast(Role::Staff), String::new()),
        (RecordSubmission::PATH, Access::AtLeast(Role::Staff), count),
        (GetSubmissionSummary::PATH, Access::AtLeast(Role::Staff), form(&[("id", "1")])),
        (GetSubmissionForEdit::PATH, Access::AtLeast(Role::Staff), form(&[("id", "1")])),
        (DeleteSubmission::PATH, Access::AtLeast(Role::Staff), form(&[("id", "1")])),
        (ListSubmissions::PATH, Access::AtLeast(Role::Viewer), form(&[("filter[kind]", "bag")])),
        (GetReviewQueue::PATH, Access::AtLeast(Role::Manager), form(&[("show", "all")])),
        (GetWarehouseDashboard::PATH, Access::AtLeast(Role::Manager), String::new()),
        (GetBagBoard::PATH, Access::AtLeast(Role::Viewer), String::new()),
        (ReviewSubmissions::PATH, Access::AtLeast(Role::Manager), form(&[("action", "approve"), ("ids[0]", "1")])),
        (GetDriftReport::PATH, Access::AtLeast(Role::Admin), String::new()),
    ]
}

/// The fix of the drift that `add_po_with_overs` made (PO-MATRIX's line counted without
/// submissions), confirmed on its report, whose fingerprint is `seen`.
pub fn recalculate_matrix(seen: &str) -> Vec<(&'static str, Access, String)> {
    vec![(FixDrift::PATH, Access::AtLeast(Role::Admin), form(&[("seen", seen)]))]
}
