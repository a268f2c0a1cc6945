//! The PO list through the service: list order (each overs PO right after its parent, whatever
//! the engine's collation), keyset pages that show every PO once, and the filters (status,
//! open or closed, number, vendor, tablet type) with the totals of each row.
use backroom::db::engine::{Db, Sql};
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::model::warehouse::po_rules::PoStatus;
use backroom::model::warehouse::po_views::{PoFilter, PO_PAGE};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::purchase_orders::{close_po, create_overs_po, create_po, move_po, po_page};

use crate::support::builders::actor;

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T09:00:00Z").expect("a time")
}

async fn create(db: &Db, number: &str, vendor: &str, tablet_type: &str, quantity: i64) {
    let line = PoLineForm { inventory_item: "ITEM-A".into(), name: "Item A".into(), quantity: quantity.to_string() };
    let form = PoForm {
        number: number.into(),
        vendor: vendor.into(),
        tablet_type: tablet_type.into(),
        lines: vec![line],
        ..Default::default()
    };
    create_po(db, &actor(), &form.validate().unwrap(), now()).await.expect("created");
}

async fn set_good(db: &Db, number: &str, good: i64) {
    let mut tx = db.begin_write().await.unwrap();
    let sql = "update po_lines set good = $1 where po_id = (select id from purchase_orders where number = $2)";
    tx.execute(Sql::with(sql, [good.into(), number.into()])).await.unwrap();
    tx.commit().await.unwrap();
}

async fn numbers(db: &Db, filter: PoFilter) -> (Vec<String>, Option<String>) {
    let page = po_page(db, &filter.cleaned()).await.expect("a page");
    (page.rows.into_iter().map(|r| r.number).collect(), page.next)
}

#[tokio::test]
async fn pages_of_the_list_show_every_po_once_with_overs_under_their_parent() {
    crate::support::each_engine(|db: Db| async move {
        // Numbers whose order a locale's collation would change ("PO-1" and "PO-1-OVERS" vs "PO-10").
        for n in [10, 1, 2] {
            create(&db, &format!("PO-{n}"), "Acme", "", 100).await;
        }
        for n in (3..=PO_PAGE + 8).filter(|n| *n != 10) {
            create(&db, &format!("PO-{n}"), "Acme", "", 100).await;
        }
        set_good(&db, "PO-1", 130).await;
        create_overs_po(&db, &actor(), "PO-1", now()).await.unwrap();
        let (first, next) = numbers(&db, PoFilter::default()).await;
        assert_eq!(first.len() as i64, PO_PAGE);
        assert_eq!(&first[..4], ["PO-1", "PO-1-OVERS", "PO-10", "PO-11"]);
        let after = next.expect("a second page");
        assert_eq!(&after, first.last().unwrap());
        let (second, end) = numbers(&db, PoFilter { after, ..Default::default() }).await;
        assert_eq!(end, None, "the last page has no next");
        let mut all = [first, second].concat();
        assert_eq!(all.len() as i64, PO_PAGE + 9, "every PO once: 58 and the overs PO");
        all.sort();
        all.dedup();
        assert_eq!(all.len() as i64, PO_PAGE + 9);
        let (unknown, _) = numbers(&db, PoFilter { after: "PO-GONE".into(), ..Default::default() }).await;
        assert_eq!(unknown[0], "PO-1", "an unknown position starts from the top");
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_the_list_by_status_state_number_vendor_and_tablet_type() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        create(&db, "PO-A", "Leaf & Co", "18mg 7OH", 1_000).await;
        create(&db, "PO-B", "leaf & co", "FIX Relax", 500).await;
        create(&db, "PO-C", "Northwind", "18mg 7OH", 700).await;
        set_good(&db, "PO-A", 905).await;
        move_po(&db, &actor(), "PO-B", PoStatus::Issued, now()).await.unwrap();
        close_po(&db, &actor(), "PO-C", "Vendor stopped", now()).await.unwrap();
        let vendor = |v: &str| PoFilter { vendor: v.into(), ..Default::default() };
        assert_eq!(numbers(&db, vendor("LEAF &")).await.0, ["PO-A", "PO-B"], "any case, '&' as typed");
        let by_type = PoFilter { tablet_type: "18mg 7OH".into(), ..Default::default() };
        assert_eq!(numbers(&db, by_type).await.0, ["PO-A", "PO-C"]);
        let unknown_type = PoFilter { tablet_type: "No such type".into(), ..Default::default() };
        assert!(numbers(&db, unknown_type).await.0.is_empty());
        let issued = PoFilter { status: "issued".into(), ..Default::default() };
        assert_eq!(numbers(&db, issued).await.0, ["PO-B"]);
        let open = PoFilter { state: "open".into(), q: "po-".into(), ..Default::default() };
        assert_eq!(numbers(&db, open).await.0, ["PO-A", "PO-B"]);
        let closed = PoFilter { state: "closed".into(), ..Default::default() };
        assert_eq!(numbers(&db, closed).await.0, ["PO-C"]);
        let odd =
            PoFilter { status: "nonsense".into(), state: "maybe".into(), q: "\u{0}%_".into(), ..Default::default() };
        assert!(numbers(&db, odd).await.0.is_empty(), "'%' and '_' match themselves only");
        let a = po_page(&db, &PoFilter { q: "PO-A".into(), ..Default::default() }.cleaned()).await.unwrap();
        let t = a.rows[0].totals;
        assert_eq!((t.ordered, t.good, t.remaining()), (1_000, 905, 95));
        assert_eq!(a.rows[0].tablet_type.as_deref(), Some("18mg 7OH"));
    })
    .await;
}
