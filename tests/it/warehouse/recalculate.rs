//! Recalculate on both engines: a database only Backroom wrote has no drift; a line changed
//! behind its back is reported (stored, derived, difference) and left alone, by the service and
//! by `backroom warehouse recalculate`, until the fix sets it to its submissions' sums (a fix
//! confirmed on a report that has changed since sets nothing).
use backroom::db::engine::{Db, Sql};
use backroom::db::platform::audit::count_events;
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::recalculate::{drift_page, drift_report, fix_drift};
use backroom::warehouse::WarehouseError;

use super::submissions::{line, now, packaged, po, receive, record};
use crate::support::backroom_cli;
use crate::support::builders::actor;

#[tokio::test]
async fn recalculate_reports_drift_and_changes_nothing_until_asked() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-D").await;
        receive(&db, "PO-D", &["3x480"], false).await;
        record(&db, &packaged("2", "10", "7", "3", Some((1, 1)))).await.unwrap();
        assert!(drift_report(&db).await.unwrap().is_empty(), "a database only Backroom wrote has no drift");
        let mut tx = db.begin_write().await.unwrap();
        tx.execute(Sql::new("update po_lines set good = good + 5, machine_damaged = 2 where line_no = 1"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let report = drift_report(&db).await.unwrap();
        assert_eq!(report.len(), 1);
        let drift = &report[0];
        assert_eq!((drift.po.as_str(), drift.line_no, drift.stored.good, drift.derived.good), ("PO-D", 1, 212, 207));
        assert_eq!((drift.difference().good, drift.difference().machine_damaged), (-5, -2));
        assert_eq!(line(&db, "PO-D", 1).await, (212, 3, 0), "the report changed nothing");
        let cli = backroom_cli(&db, &["warehouse", "recalculate"]);
        let said = String::from_utf8_lossy(&cli.stdout);
        assert!(!cli.status.success(), "drift left alone exits non-zero");
        let expected = "PO-D line 1 (INV-7OH-18): good stored 212, derived 207, difference -5; \
            machine damaged stored 2, derived 0, difference -2";
        assert!(said.contains(expected), "{said}");
        assert_eq!(line(&db, "PO-D", 1).await, (212, 3, 0), "the CLI's report changed nothing either");
        let page = drift_page(&db).await.unwrap();
        assert_eq!((page.drifted, page.lines.len()), (1, 1));
        let mut tx = db.begin_write().await.unwrap();
        tx.execute(Sql::new("update po_lines set damaged = 4 where line_no = 1")).await.unwrap();
        tx.commit().await.unwrap();
        let stale = fix_drift(&db, &actor(), Some(&page.fingerprint)).await;
        assert!(matches!(stale, Err(WarehouseError::Conflict(m)) if m.starts_with("The counts changed since")));
        assert_eq!(line(&db, "PO-D", 1).await, (212, 4, 0), "a fix of another report than the one seen sets nothing");
        let seen = drift_page(&db).await.unwrap().fingerprint;
        assert_eq!(fix_drift(&db, &actor(), Some(&seen)).await.unwrap().len(), 1);
        assert_eq!(line(&db, "PO-D", 1).await, (207, 3, 0));
        assert!(drift_report(&db).await.unwrap().is_empty());
        assert_eq!(count_events(&db, "warehouse.recalculated").await.unwrap(), 1);
        let clean = backroom_cli(&db, &["warehouse", "recalculate", "--fix"]);
        assert!(clean.status.success() && String::from_utf8_lossy(&clean.stdout).starts_with("No drift"));
    })
    .await;
}
