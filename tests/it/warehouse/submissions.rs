//! Floor submissions through the service on both engines: DOMAIN.md's 207 and 10, damaged
//! never good, the three matching outcomes and a label naming its bag, the PO line counts
//! moving with every create, edit, reassign and delete (stored = derived after each step of a
//! random sequence, in submission_invariant.rs), approve and lock (recalculate is in
//! recalculate.rs).
use backroom::db::engine::run::read_count;
use backroom::db::engine::{Db, Sql};
use backroom::db::platform::audit::{count_events, Actor};
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::model::warehouse::po_rules::PoStatus;
use backroom::model::warehouse::receiving::{ReceiveForm, ReceiveStatus};
use backroom::model::warehouse::scan::parse_scan;
use backroom::model::warehouse::submission_form::{SubmissionForm, SubmissionInput};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::po_detail::po_detail;
use backroom::warehouse::purchase_orders::{create_po, move_po};
use backroom::warehouse::recalculate::drift_report;
use backroom::warehouse::receive_bags::scan_into;
use backroom::warehouse::receiving::{advance_receive, create_receive, receive_detail};
use backroom::warehouse::submission_review::{approve_submission, assign_submission, Assignment};
use backroom::warehouse::submissions::{delete_submission, edit_submission, record_submission, Changer, Recorded};
use backroom::warehouse::{WarehouseError, WarehouseResult};

use crate::support::builders::actor;

pub fn now() -> Timestamp {
    Timestamp::parse("2026-12-05T09:00:00Z").expect("a time")
}

pub fn staff(name: &str) -> Actor {
    Actor { name: name.into(), ..actor() }
}

/// PO `number` with a line of 18mg 7OH (10,000) and one of Blank Test (1,000).
pub async fn po(db: &Db, number: &str) {
    let line = |item: &str, quantity: &str| PoLineForm {
        inventory_item: item.into(),
        name: String::new(),
        quantity: quantity.into(),
    };
    let lines = vec![line("INV-7OH-18", "10000"), line("INV-TEST", "1000")];
    let form = PoForm { number: number.into(), tablet_type: "18mg 7OH".into(), lines, ..Default::default() };
    create_po(db, &actor(), &form.validate().unwrap(), now()).await.unwrap();
}

/// A receive of `po`, with `scans` typed into box 1 as 18mg 7OH, published unless `draft`.
pub async fn receive(db: &Db, po: &str, scans: &[&str], draft: bool) -> i64 {
    let form = ReceiveForm {
        po: po.into(),
        received_on: "2026-12-04".into(),
        received_by: "Dana".into(),
        ..Default::default()
    };
    let (id, _) =
        create_receive(db, &actor(), &form.validate(now().into_inner().date()).unwrap(), now()).await.unwrap();
    for line in scans {
        scan_into(db, &actor(), id, 1, "18mg 7OH", parse_scan(line).unwrap(), now()).await.unwrap();
    }
    if !draft {
        advance_receive(db, &actor(), id, ReceiveStatus::Published, now()).await.unwrap();
    }
    id
}

pub fn packaged(displays: &str, packs: &str, loose: &str, damaged: &str, bag: Option<(i64, i64)>) -> SubmissionForm {
    let (box_no, bag_no) = bag.map(|(x, b)| (x.to_string(), b.to_string())).unwrap_or_default();
    SubmissionForm {
        kind: "packaged".into(),
        submitted_on: "2026-12-05".into(),
        product: "7OH 4ct".into(),
        displays: displays.into(),
        packs: packs.into(),
        loose: loose.into(),
        damaged: damaged.into(),
        box_no,
        bag_no,
        ..Default::default()
    }
}

pub fn bag_count(counted: &str, box_no: i64, bag_no: i64) -> SubmissionForm {
    SubmissionForm {
        kind: "bag".into(),
        submitted_on: "2026-12-05".into(),
        tablet_type: "18mg 7OH".into(),
        counted: counted.into(),
        box_no: box_no.to_string(),
        bag_no: bag_no.to_string(),
        ..Default::default()
    }
}

pub fn checked(form: &SubmissionForm) -> SubmissionInput {
    form.validate(now().into_inner().date()).expect("a valid form")
}

pub async fn record(db: &Db, form: &SubmissionForm) -> WarehouseResult<Recorded> {
    record_submission(db, &staff("sam"), &checked(form), now()).await
}

/// Line `line_no` of `po`: good, damaged, machine good.
pub async fn line(db: &Db, po: &str, line_no: i64) -> (i64, i64, i64) {
    let detail = po_detail(db, po).await.unwrap();
    let l = detail.lines.iter().find(|l| l.line_no == line_no).expect("the line");
    (l.counts.good, l.counts.damaged, l.machine_good)
}

fn message<T: std::fmt::Debug>(result: WarehouseResult<T>, field: &str) -> String {
    match result {
        Err(WarehouseError::Invalid(fields)) => fields.get(field).cloned().unwrap_or_else(|| format!("{fields:?}")),
        Err(WarehouseError::Conflict(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_packaged_count_is_207_on_its_line_with_damaged_apart() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-P").await;
        receive(&db, "PO-P", &["12x480"], false).await;
        let done = record(&db, &packaged("2", "10", "7", "3", Some((1, 4)))).await.unwrap();
        assert_eq!((done.good, done.warning), (207, None), "one match assigns the bag and its PO");
        assert_eq!(line(&db, "PO-P", 1).await, (207, 3, 0), "damaged is counted apart, never as good");
        assert_eq!(line(&db, "PO-P", 2).await, (0, 0, 0));
        assert_eq!(count_events(&db, "submission.recorded").await.unwrap(), 1);
        let nothing = record(&db, &packaged("", "", "", "", None)).await;
        assert_eq!(message(nothing, "displays"), "Nothing was counted: enter what was made or damaged.");
        assert!(drift_report(&db).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_machine_count_is_10_through_its_own_formula() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-M").await;
        let id = receive(&db, "PO-M", &[], true).await;
        scan_into(&db, &actor(), id, 1, "Blank Test", parse_scan("480").unwrap(), now()).await.unwrap();
        advance_receive(&db, &actor(), id, ReceiveStatus::Published, now()).await.unwrap();
        let form = SubmissionForm {
            kind: "machine".into(),
            submitted_on: "2026-12-05".into(),
            tablet_type: "Blank Test".into(),
            machine: "Blister line 1".into(),
            turns: "10".into(),
            box_no: "1".into(),
            bag_no: "1".into(),
            ..Default::default()
        };
        let done = record(&db, &form).await.unwrap();
        assert_eq!(done.good, 10, "10 turns × 1 card (the setting) × tpp 1");
        assert_eq!(line(&db, "PO-M", 2).await, (0, 0, 10), "a machine count is the line's machine good");
        let two_cards = SubmissionForm { machine: "Blister line 2".into(), ..form };
        assert_eq!(record(&db, &two_cards).await.unwrap().good, 20, "the machine's own cards per turn");
    })
    .await;
}

#[tokio::test]
async fn matching_assigns_one_bag_leaves_two_for_review_and_refuses_a_bag_count_of_none() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-A").await;
        po(&db, "PO-B").await;
        receive(&db, "PO-A", &["3x480"], false).await;
        receive(&db, "PO-B", &["480"], false).await;
        receive(&db, "PO-B", &["5x480"], true).await;

        let two = record(&db, &packaged("1", "", "", "", Some((1, 1)))).await.unwrap();
        assert_eq!(two.warning.as_deref(), Some("2 received bags match box 1, bag 1: a manager chooses one."));
        assert_eq!(
            (line(&db, "PO-A", 1).await, line(&db, "PO-B", 1).await),
            ((0, 0, 0), (0, 0, 0)),
            "nothing assigned"
        );
        let drafts_only = record(&db, &packaged("1", "", "", "", Some((1, 5)))).await.unwrap();
        assert!(
            drafts_only.warning.unwrap().starts_with("No received bag matches box 1, bag 5"),
            "drafts do not match"
        );
        let refused = record(&db, &bag_count("478", 1, 5)).await;
        assert!(message(refused, "bag_no").starts_with("No received bag matches"));
        let one = record(&db, &bag_count("478", 1, 3)).await.unwrap();
        assert_eq!(one.warning, None);
        assert_eq!(line(&db, "PO-A", 1).await, (0, 0, 0), "a bag count checks its bag, not the line");

        let candidates = receive_detail(&db, receive_id(&db, "PO-B").await).await.unwrap().bags;
        assign_submission(&db, &actor(), two.id, &Assignment::Bag(candidates[0].id), now()).await.unwrap();
        assert_eq!(line(&db, "PO-B", 1).await, (80, 0, 0), "assigned: its counts go on the bag's PO");
        let two_displays = checked(&packaged("2", "", "", "", Some((1, 1))));
        let edited = edit_submission(&db, &staff("sam"), Changer::Staff, two.id, &two_displays, now()).await.unwrap();
        assert_eq!(edited.warning, None, "the same bag named: the manager's choice stays");
        assert_eq!(line(&db, "PO-B", 1).await, (160, 0, 0));
        approve_submission(&db, &actor(), two.id, now()).await.unwrap();
        edit_submission(&db, &actor(), Changer::Manager, two.id, &two_displays, now()).await.unwrap();
        approve_submission(&db, &actor(), two.id, now()).await.expect("an edited count is approved again");
        assert!(drift_report(&db).await.unwrap().is_empty());
    })
    .await;
}

async fn receive_id(db: &Db, po: &str) -> i64 {
    let sql = Sql::with(
        "select r.id from receives r join purchase_orders p on p.id = r.po_id where p.number = $1 \
         and r.status = 'published'",
        [po.into()],
    );
    read_count(db, sql).await.unwrap()
}

#[tokio::test]
async fn a_label_names_its_bag_exactly() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-L").await;
        po(&db, "PO-K").await;
        receive(&db, "PO-L", &["3x480"], false).await;
        receive(&db, "PO-K", &["3x480"], false).await;
        receive(&db, "PO-K", &["3x480"], true).await;
        let by_label = SubmissionForm { bag_label: "PO-K-1-1-2".into(), ..packaged("1", "", "", "", None) };
        assert_eq!(record(&db, &by_label).await.unwrap().warning, None, "two bags match 1/2, the label names one");
        assert_eq!((line(&db, "PO-K", 1).await, line(&db, "PO-L", 1).await), ((80, 0, 0), (0, 0, 0)));
        let typed =
            SubmissionForm { bag_label: "po-k-1-1-2".into(), tablet_type: String::new(), ..bag_count("478", 1, 1) };
        let conflict = typed.validate(now().into_inner().date()).unwrap_err();
        assert_eq!(conflict["bag_label"], "The label names box 1, bag 2: clear the box and bag typed.");
        let counted = SubmissionForm { box_no: String::new(), bag_no: String::new(), ..typed };
        assert_eq!(record(&db, &counted).await.unwrap().warning, None, "the bag's tablet type when none is given");
        let draft = SubmissionForm { bag_label: "PO-K-2-1-1".into(), ..packaged("1", "", "", "", None) };
        assert_eq!(message(record(&db, &draft).await, "bag_label"), "This bag's receive is not published yet.");
        let none = SubmissionForm { bag_label: "PO-K-1-9-9".into(), ..packaged("1", "", "", "", None) };
        assert_eq!(message(record(&db, &none).await, "bag_label"), "No received bag has this label.");
        let other = SubmissionForm { product: "5ct FIX Energy".into(), ..by_label };
        assert!(message(record(&db, &other).await, "bag_label").contains("another tablet type"));
    })
    .await;
}

#[tokio::test]
async fn edits_and_deletes_move_the_line_and_staff_change_only_their_own_unlocked_counts() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-E").await;
        receive(&db, "PO-E", &["3x480"], false).await;
        let id = record(&db, &packaged("2", "10", "7", "3", Some((1, 1)))).await.unwrap().id;
        let sam = staff("sam");
        let one_display = checked(&packaged("1", "", "", "", Some((1, 1))));
        let edited = edit_submission(&db, &sam, Changer::Staff, id, &one_display, now()).await;
        assert_eq!(edited.unwrap().good, 80);
        assert_eq!(line(&db, "PO-E", 1).await, (80, 0, 0), "the old counts came off, the new went on");
        let other = edit_submission(&db, &staff("kim"), Changer::Staff, id, &one_display, now()).await;
        assert_eq!(message(other, ""), "Staff change only their own submissions.");

        let unassigned = record(&db, &packaged("1", "", "", "", None)).await.unwrap().id;
        let refused = approve_submission(&db, &actor(), unassigned, now()).await;
        assert_eq!(message(refused, ""), "cannot approve an unassigned submission");
        approve_submission(&db, &actor(), id, now()).await.unwrap();
        assert_eq!(message(approve_submission(&db, &actor(), id, now()).await, ""), "already verified");
        let locked = delete_submission(&db, &sam, Changer::Staff, id).await;
        assert_eq!(message(locked, ""), "This submission is verified: a manager changes it.");
        delete_submission(&db, &actor(), Changer::Manager, id).await.unwrap();
        assert_eq!(line(&db, "PO-E", 1).await, (0, 0, 0), "deleted: its counts came off");
        assert_eq!(count_events(&db, "submission.deleted").await.unwrap(), 1);
        assert!(drift_report(&db).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_po_takes_no_counts() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-C").await;
        receive(&db, "PO-C", &["3x480"], false).await;
        move_po(&db, &actor(), "PO-C", PoStatus::Cancelled, now()).await.unwrap();
        let done = record(&db, &packaged("1", "", "", "", Some((1, 2)))).await.unwrap();
        assert_eq!(done.warning.as_deref(), Some("PO-C is closed or cancelled: the count waits for a manager."));
        assert_eq!(line(&db, "PO-C", 1).await, (0, 0, 0));
        let bags = receive_detail(&db, receive_id(&db, "PO-C").await).await.unwrap().bags;
        let to_bag = assign_submission(&db, &actor(), done.id, &Assignment::Bag(bags[0].id), now()).await;
        assert_eq!(message(to_bag, "bag"), "PO-C is closed or cancelled.");
        let to_po = assign_submission(&db, &actor(), done.id, &Assignment::Po("PO-C".into()), now()).await;
        assert!(message(to_po, "po").contains("bag"), "a count with a bag goes with the bag's PO");
    })
    .await;
}
