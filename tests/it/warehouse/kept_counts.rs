//! The submissions list's unverified count and the review queue's size by reason on both
//! engines: kept between views (a change no generation hears is not shown), and made again as
//! soon as an audited write commits, on a server other than the writer's on PostgreSQL.
use std::sync::Arc;
use std::time::Duration;

use backroom::db::engine::counts::CountCache;
use backroom::db::engine::generations::Domain;
use backroom::db::engine::remembered::Remembered;
use backroom::db::engine::{Db, Sql};
use backroom::model::warehouse::review::WaitReason;
use backroom::model::warehouse::review_views::QueueSize;
use backroom::model::warehouse::submission_list::SubmissionFilter;
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::review::{remembered_queue_size, review_page};
use backroom::warehouse::submission_list::submission_page;
use backroom::warehouse::submission_review::approve_submission;

use super::submissions::{bag_count, now, po, receive, record};
use crate::support::builders::actor;
use crate::support::{hear_changes, second_server};

/// How soon the reading server must hear a write (as the scale-out tests ask).
const WITHIN: Duration = Duration::from_secs(1);

#[tokio::test]
async fn the_unverified_count_and_the_queue_size_are_kept_until_an_audited_write() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-A").await;
        receive(&db, "PO-A", &["480"], false).await;
        let first = record(&db, &bag_count("30", 1, 1)).await.unwrap().id;
        let second = record(&db, &bag_count("30", 1, 1)).await.unwrap().id;
        // Read where another server would: on PostgreSQL a pool and listener of its own.
        let reader = match db {
            Db::Postgres(..) => second_server(&db).await,
            Db::Sqlite(..) => db.clone(),
        };
        hear_changes(&reader).await;
        let (counts, queue) = (CountCache::new(&reader), remembered_queue_size(&reader));
        let by_type = SubmissionFilter { item: "INV-7OH-18".into(), ..Default::default() };
        let filters = [SubmissionFilter::default(), by_type];
        assert_eq!(unverified(&reader, &counts, &filters).await, [2, 2]);
        assert_eq!(waiting(&reader, &queue).await, vec![(WaitReason::Under, 2)], "60 of 480 is under");

        // A write with no audit row moves no generation: what was kept is shown.
        let mut unheard = db.begin_write().await.unwrap();
        let verify = Sql::with("update submissions set verified_by = 'raw' where id = $1", [first.into()]);
        unheard.execute(verify).await.unwrap();
        unheard.commit().await.unwrap();
        assert_eq!(unverified(&reader, &counts, &filters).await, [2, 2], "kept");
        assert_eq!(waiting(&reader, &queue).await, vec![(WaitReason::Under, 2)], "kept");

        let before = reader.generations().peek(Domain::Admin);
        approve_submission(&db, &actor(), second, now()).await.unwrap();
        let heard = reader.generations().moved(Domain::Admin, before);
        tokio::time::timeout(WITHIN, heard).await.expect("the write is heard");
        assert_eq!(unverified(&reader, &counts, &filters).await, [0, 0], "counted again, the unheard change too");
        assert_eq!(waiting(&reader, &queue).await, vec![], "nothing waits");
    })
    .await;
}

/// The list's unverified count under each filter, as `reader` shows it.
async fn unverified(reader: &Db, counts: &Arc<CountCache>, filters: &[SubmissionFilter; 2]) -> [i64; 2] {
    let mut found = [0; 2];
    for (n, filter) in found.iter_mut().zip(filters) {
        *n = submission_page(reader, counts, filter).await.unwrap().unverified;
    }
    found
}

/// The review queue's size by reason, as `reader` shows it.
async fn waiting(reader: &Db, queue: &Remembered<QueueSize>) -> Vec<(WaitReason, i64)> {
    review_page(reader, queue, "all", "").await.unwrap().size.by_reason
}
