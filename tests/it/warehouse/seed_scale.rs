//! The warehouse's benchmark data (`seed --scale 1`) on both engines: the counts the issue
//! asks for, PO SC-BIG's 200 lines and 50 receives, bags named as DOMAIN.md says, and new rows
//! numbered after the seeded ones, 100,000 floor counts (the newest 500 waiting for approval)
//! and no drift between line counts and submissions.
use backroom::db::engine::{run::fetch_count, Db, Sql};
use backroom::model::platform::time::Timestamp;
use backroom::warehouse::demo::{ensure_demo_catalogue, seed_scale};
use backroom::warehouse::po_detail::po_detail;
use backroom::warehouse::recalculate::drift_report;
use backroom::warehouse::receiving::receive_detail;

fn now() -> Timestamp {
    Timestamp::parse("2025-05-31T00:00:00Z").expect("a time")
}

async fn count(db: &Db, table: &str) -> i64 {
    fetch_count(db, Sql::new(&format!("select count(*) from {table}"))).await.unwrap()
}

#[tokio::test]
async fn scale_1_makes_a_thousand_pos_five_thousand_receives_200000_bags_and_100000_counts() {
    crate::support::each_engine(|db: Db| async move {
        let made = seed_scale(&db, 1, now()).await.unwrap();
        assert_eq!(made, "1001 purchase orders, 5000 receives, 200000 bags, 100000 floor counts");
        assert_eq!((count(&db, "receives").await, count(&db, "receive_bags").await), (5_000, 200_000));
        assert_eq!(count(&db, "tablet_types").await, 15, "over the demo catalogue");
        assert_eq!(ensure_demo_catalogue(&db, now()).await.unwrap(), 0, "seed --demo then leaves it");
        let big = po_detail(&db, "SC-BIG").await.unwrap();
        assert_eq!((big.lines.len(), big.receives.len()), (200, 50));
        let receive = receive_detail(&db, big.receives[0].id).await.unwrap();
        assert_eq!(receive.bags.len(), 40);
        assert_eq!(receive.bags[39].name.as_deref(), Some("SC-BIG-1-4-10"));
        assert_eq!(receive.boxes().len(), 4);
        let draft = receive_detail(&db, 10).await.unwrap();
        assert_eq!(draft.status.as_str(), "draft", "every tenth receive is a draft, for the scanner benchmark");
        assert_eq!(count(&db, "submissions").await, 100_000);
        let waiting = "submissions where verified_by is null";
        assert_eq!(count(&db, waiting).await, 500, "the newest 500 wait for approval");
        let counted = "po_lines where good > 0 and machine_good > 0";
        assert!(count(&db, counted).await > 100, "lines carry packaged and machine counts");
        assert!(drift_report(&db).await.unwrap().is_empty(), "line counts are the sums over the submissions");
        backroom::warehouse::demo::seed_demo_pos(&db, Timestamp::now()).await.expect("new rows after the seeded ids");
    })
    .await;
}
