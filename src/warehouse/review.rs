//! The review queue: the unverified submissions that need a person, each with the bags it
//! could go on, and the queue's size by reason; a manager's ticked submissions approved or
//! assigned, each in its own transaction (one refused never holds back the others), every
//! refusal reported with its reason.
use std::time::Duration;

use super::submission_list::submission_row;
use super::submission_review::{approve_submission, assign_submission, Assignment};
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::generations::Domain;
use crate::db::engine::remembered::Remembered;
use crate::db::engine::Db;
use crate::db::platform::audit::Actor;
use crate::db::warehouse::settings::warehouse_settings;
use crate::db::warehouse::submission_list::{
    candidate_bags, waiting_counts, waiting_submissions, SubmissionDbRow, Waiting,
};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::receiving::{bag_name, receive_name};
use crate::model::warehouse::review::WaitReason;
use crate::model::warehouse::review_views::{
    CandidateBag, QueueSize, ReviewPage, ReviewReport, ReviewRequest, ReviewRow, REVIEW_PAGE,
};
use crate::model::warehouse::submission_list::{encode_position, SubmissionFilter};

/// Bags listed for one submission at most (a box and bag number rarely repeats more).
const CANDIDATES: i64 = 10;

/// How long a kept size of the queue is shown at most (as the dashboard's: what it can miss is
/// a write no generation of the server's hears of, such as `seed --scale`, which writes no
/// audit rows).
const QUEUE_SIZE_TTL: Duration = Duration::from_secs(10);

/// Where the queue's size by reason is kept between views. Every write to a submission is
/// audited in its transaction, and the audit row moves `Domain::Admin` at commit. Made on every
/// view, the size cost 11 ms of CPU per page with 500 of 1,000,000 submissions unverified, and
/// 0.9 to 1.1 s with 63,000 (each waiting row's bag total is summed; SQLite, scale-10 copy).
pub fn remembered_queue_size(db: &Db) -> Remembered<QueueSize> {
    Remembered::new(db.generations().clone(), Domain::Admin, QUEUE_SIZE_TTL)
}

/// The queue's page: `show` is empty for those that need a person, a reason (`over`, …),
/// `approval` for those that only wait to be approved, or `all`; `after` a list position. The
/// queue's size is taken from `kept` while no write moved it.
pub async fn review_page(
    db: &Db,
    kept: &Remembered<QueueSize>,
    show: &str,
    after: &str,
) -> WarehouseResult<ReviewPage> {
    let tolerance = warehouse_settings(db).await?.count_tolerance;
    let which = match show {
        "" => Waiting::NeedingPerson,
        "all" => Waiting::All,
        "approval" => Waiting::Reason("approval"),
        reason => {
            let known =
                WaitReason::parse(reason).ok_or_else(|| WarehouseError::field("show", "No such tab of the queue."));
            Waiting::Reason(known?.as_str())
        }
    };
    let position = SubmissionFilter { after: after.to_string(), ..Default::default() }.position();
    let mut rows = waiting_submissions(db, tolerance, which, position.as_ref(), REVIEW_PAGE + 1).await?;
    let more = rows.len() as i64 > REVIEW_PAGE;
    rows.truncate(REVIEW_PAGE as usize);
    let next = rows.last().filter(|_| more).map(|r| encode_position(&r.submitted_on, r.id));
    let mut page = Vec::with_capacity(rows.len());
    for r in rows {
        let candidates = candidates_of(db, &r).await?;
        page.push(ReviewRow { row: submission_row(r, tolerance), candidates });
    }
    Ok(ReviewPage { rows: page, next, size: kept.get_or_make(|| queue_size(db)).await? })
}

/// The received bags a submission without a bag matched by its box and bag numbers.
async fn candidates_of(db: &Db, r: &SubmissionDbRow) -> WarehouseResult<Vec<CandidateBag>> {
    let (None, Some(box_no), Some(bag_no)) = (r.bag_id, r.box_no, r.bag_no) else { return Ok(Vec::new()) };
    let bags = candidate_bags(db, r.tablet_type_id, box_no, bag_no, CANDIDATES).await?;
    Ok(bags
        .into_iter()
        .map(|b| {
            let name = match b.po.zip(b.place) {
                Some((po, place)) => bag_name(&receive_name(&po, place), b.box_no, b.bag_no),
                None => format!("box {}, bag {} (its receive has no PO)", b.box_no, b.bag_no),
            };
            CandidateBag { bag_id: b.bag_id, name, label_count: b.label_count }
        })
        .collect())
}

/// How many unverified submissions wait, by reason.
pub async fn queue_size(db: &Db) -> WarehouseResult<QueueSize> {
    let tolerance = warehouse_settings(db).await?.count_tolerance;
    let mut size = QueueSize::default();
    for (reason, n) in waiting_counts(db, tolerance).await? {
        match WaitReason::parse(&reason) {
            Some(reason) => size.by_reason.push((reason, n)),
            None => size.approval += n,
        }
    }
    size.by_reason.sort_by_key(|(reason, _)| WaitReason::ALL.iter().position(|r| r == reason));
    Ok(size)
}

/// Does what `request` asks of each ticked submission, each in its own transaction.
pub async fn work_queue(
    db: &Db,
    actor: &Actor,
    request: &ReviewRequest,
    now: Timestamp,
) -> WarehouseResult<ReviewReport> {
    let mut done = 0;
    let mut refused = Vec::new();
    let steps: Vec<(i64, Option<Assignment>)> = match request {
        ReviewRequest::Approve(ids) => ids.iter().map(|id| (*id, None)).collect(),
        ReviewRequest::AssignBags(pairs) => pairs.iter().map(|(id, bag)| (*id, Some(Assignment::Bag(*bag)))).collect(),
        ReviewRequest::AssignPo(ids, po) => ids.iter().map(|id| (*id, Some(Assignment::Po(po.clone())))).collect(),
    };
    for (id, assignment) in steps {
        let result = match &assignment {
            None => approve_submission(db, actor, id, now).await,
            Some(to) => assign_submission(db, actor, id, to, now).await,
        };
        match result {
            Ok(()) => done += 1,
            Err(e) => refused.push((id, refusal(e))),
        }
    }
    let rows = if done == 1 { "1 submission".to_string() } else { format!("{done} submissions") };
    Ok(ReviewReport { done_text: format!("{rows} {}.", request.done_words()), refused })
}

/// A refusal as the manager reads it; a database failure is logged, not shown.
fn refusal(e: WarehouseError) -> String {
    match e {
        WarehouseError::Invalid(fields) => fields.into_values().collect::<Vec<_>>().join(" "),
        WarehouseError::NotFound => "It no longer exists.".into(),
        WarehouseError::Conflict(message) => message,
        WarehouseError::Db(e) => {
            tracing::error!(error = %e, "review step failed");
            "It could not be saved; try again.".into()
        }
    }
}
