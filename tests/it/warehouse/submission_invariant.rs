//! The invariant of DOMAIN.md's Warehouse part, as a property: after every step of a random
//! sequence of creates, edits, reassignments and deletes (refused ones included), each PO
//! line's stored counts are the sums over the submissions that name it, on both engines.
use backroom::db::engine::run::read_count;
use backroom::db::engine::{Db, Sql};
use backroom::model::warehouse::submission_form::SubmissionForm;
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::recalculate::drift_report;
use backroom::warehouse::submission_review::{assign_submission, Assignment};
use backroom::warehouse::submissions::{delete_submission, edit_submission, record_submission, Changer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::submissions::{bag_count, checked, now, packaged, po, receive, staff};
use crate::support::builders::actor;

const STEPS: usize = 60;

/// A random form: a packaged, bag or machine count of 18mg 7OH, box 1, bags 1 to 5 or none.
fn random_form(rng: &mut StdRng) -> SubmissionForm {
    let bag = (rng.random_range(0..4) > 0).then(|| (1, rng.random_range(1..=5)));
    let n = |rng: &mut StdRng| rng.random_range(0..4).to_string();
    match rng.random_range(0..3) {
        0 => packaged(&n(rng), &n(rng), &n(rng), &n(rng), bag),
        1 => bag_count(&rng.random_range(0..600).to_string(), 1, bag.map_or(1, |b| b.1)),
        _ => {
            let (box_no, bag_no) = bag.map(|(x, b)| (x.to_string(), b.to_string())).unwrap_or_default();
            SubmissionForm {
                kind: "machine".into(),
                submitted_on: "2026-12-05".into(),
                tablet_type: "18mg 7OH".into(),
                machine: if rng.random_bool(0.5) { "Blister line 1" } else { "Blister line 2" }.into(),
                turns: n(rng),
                damaged: n(rng),
                box_no,
                bag_no,
                ..Default::default()
            }
        }
    }
}

async fn ids(db: &Db, table: &str) -> Vec<i64> {
    let mut tx = db.begin_write().await.unwrap();
    let rows: Vec<(i64,)> = tx.fetch_all(Sql::new(&format!("select id from {table} order by id"))).await.unwrap();
    tx.commit().await.unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// One random step; whether it was refused does not matter to the invariant.
async fn step(db: &Db, rng: &mut StdRng, bags: &[i64]) {
    let existing = ids(db, "submissions").await;
    let pick = |rng: &mut StdRng| existing.get(rng.random_range(0..existing.len().max(1))).copied();
    let _ = match (rng.random_range(0..4), pick(rng)) {
        (1, Some(id)) => {
            let input = checked(&random_form(rng));
            edit_submission(db, &actor(), Changer::Manager, id, &input, now()).await.map(|_| ())
        }
        (2, Some(id)) => delete_submission(db, &actor(), Changer::Manager, id).await,
        (3, Some(id)) => {
            let to = match rng.random_bool(0.5) {
                true => Assignment::Bag(bags[rng.random_range(0..bags.len())]),
                false => Assignment::Po(if rng.random_bool(0.5) { "PO-X" } else { "PO-Y" }.into()),
            };
            assign_submission(db, &actor(), id, &to, now()).await
        }
        _ => record_submission(db, &staff("sam"), &checked(&random_form(rng)), now()).await.map(|_| ()),
    };
}

#[tokio::test]
async fn stored_line_counts_equal_their_submissions_after_every_step() {
    crate::support::each_engine(|db: Db| async move {
        seed_demo_catalogue(&db, now()).await.unwrap();
        po(&db, "PO-X").await;
        po(&db, "PO-Y").await;
        receive(&db, "PO-X", &["4x480"], false).await;
        receive(&db, "PO-Y", &["2x480"], false).await;
        receive(&db, "PO-Y", &["5x480"], true).await;
        let bags = ids(&db, "receive_bags").await;
        let mut rng = StdRng::seed_from_u64(0x5eed_2026);
        for n in 0..STEPS {
            step(&db, &mut rng, &bags).await;
            let drift = drift_report(&db).await.unwrap();
            assert!(drift.is_empty(), "step {n}: {drift:?}");
        }
        let sql = "select count(*) from submissions where po_line_id is not null";
        assert!(read_count(&db, Sql::new(sql)).await.unwrap() > 0, "the sequence put counts on lines");
    })
    .await;
}
