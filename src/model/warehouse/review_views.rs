//! What the review queue shows (its rows with the bags each could go on, its size by reason)
//! and what a manager asks of it: approve the ticked submissions, put each on the bag chosen
//! for it, or put them on one PO.
use serde::{Deserialize, Serialize};

use super::po_form::MAX_PO_REF_CHARS;
use super::review::WaitReason;
use super::submission_list::SubmissionRow;
use crate::error::FieldErrors;
use crate::model::platform::bulk::MAX_BULK;
use crate::model::platform::page::clean_search;

/// Submissions per page of the queue (a page can be ticked and sent at once).
pub const REVIEW_PAGE: i64 = 50;

/// A received bag a waiting submission could go on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateBag {
    pub bag_id: i64,
    /// `PO-TEST-001-1-2-3`, or its box and bag while its receive has no PO.
    pub name: String,
    pub label_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub row: SubmissionRow,
    pub candidates: Vec<CandidateBag>,
}

/// How many unverified submissions wait, by reason, and how many only wait to be approved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueSize {
    pub by_reason: Vec<(WaitReason, i64)>,
    pub approval: i64,
}

impl QueueSize {
    /// Submissions that need a person.
    pub fn needing(&self) -> i64 {
        self.by_reason.iter().map(|(_, n)| n).sum()
    }
}

/// A page of the queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub rows: Vec<ReviewRow>,
    pub next: Option<String>,
    pub size: QueueSize,
}

/// What a manager asks of the ticked submissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewRequest {
    Approve(Vec<i64>),
    /// Each (submission, bag) chosen.
    AssignBags(Vec<(i64, i64)>),
    AssignPo(Vec<i64>, String),
}

/// What a request did: how many it changed, and each submission it refused with the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewReport {
    pub done_text: String,
    pub refused: Vec<(i64, String)>,
}

fn positive(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

impl ReviewRequest {
    /// `action` is `approve`, `assign_bags` or `assign_po`; `ids` the ticked submissions; `bags`
    /// the choices of the rows' bag menus as `submission:bag`; `po` the PO number typed.
    pub fn parse(action: &str, ids: &[String], bags: &[String], po: &str) -> Result<ReviewRequest, FieldErrors> {
        let fail = |field: &str, message: &str| Err(FieldErrors::from([(field.to_string(), message.to_string())]));
        if ids.len() > MAX_BULK || bags.len() > MAX_BULK {
            return fail("ids", &format!("Tick at most {MAX_BULK} at a time."));
        }
        let mut ids: Vec<i64> = match ids.iter().map(|id| positive(id)).collect::<Option<Vec<_>>>() {
            Some(ids) if ids.is_empty() => return fail("ids", "Tick at least one submission."),
            Some(ids) => ids,
            None => return fail("ids", "A ticked submission is not one of the queue's."),
        };
        // A submission ticked twice is worked once.
        ids.sort_unstable();
        ids.dedup();
        match action {
            "approve" => Ok(ReviewRequest::Approve(ids)),
            "assign_bags" => {
                let chosen = bags.iter().filter_map(|pair| {
                    let (id, bag) = pair.split_once(':')?;
                    Some((positive(id)?, positive(bag)?)).filter(|(id, _)| ids.contains(id))
                });
                let mut chosen: Vec<(i64, i64)> = chosen.collect();
                // One bag per submission: the first chosen.
                chosen.sort_by_key(|(id, _)| *id);
                chosen.dedup_by_key(|(id, _)| *id);
                match chosen.is_empty() {
                    true => fail("bags", "Choose a bag for the ticked submissions in their Bag column."),
                    false => Ok(ReviewRequest::AssignBags(chosen)),
                }
            }
            "assign_po" => {
                let number = clean_search(po);
                if number.is_empty() || number.chars().count() > MAX_PO_REF_CHARS {
                    return fail("po", "Type the number of the PO to put them on.");
                }
                Ok(ReviewRequest::AssignPo(ids, number))
            }
            _ => fail("action", "Choose approve, assign the chosen bags, or assign to a PO."),
        }
    }

    /// How the report names what was done: "approved", "put on their bags", "put on PO-1".
    pub fn done_words(&self) -> String {
        match self {
            ReviewRequest::Approve(_) => "approved".into(),
            ReviewRequest::AssignBags(_) => "put on their chosen bags".into(),
            ReviewRequest::AssignPo(_, po) => format!("put on {po}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_request_needs_ticks_and_what_its_action_asks_for() {
        let ids = texts(&["3", "4"]);
        assert_eq!(
            ReviewRequest::parse("approve", &texts(&["4", "3", "4"]), &[], ""),
            Ok(ReviewRequest::Approve(vec![3, 4]))
        );
        let bags = texts(&["3:11", "5:12", "4:", "x:1", "3:13"]);
        assert_eq!(ReviewRequest::parse("assign_bags", &ids, &bags, ""), Ok(ReviewRequest::AssignBags(vec![(3, 11)])));
        assert!(ReviewRequest::parse("assign_bags", &ids, &texts(&["5:12"]), "").unwrap_err().contains_key("bags"));
        assert_eq!(
            ReviewRequest::parse("assign_po", &ids, &[], " PO-1 "),
            Ok(ReviewRequest::AssignPo(vec![3, 4], "PO-1".into()))
        );
        assert!(ReviewRequest::parse("assign_po", &ids, &[], "").unwrap_err().contains_key("po"));
        assert!(ReviewRequest::parse("approve", &[], &[], "").unwrap_err().contains_key("ids"));
        assert!(ReviewRequest::parse("approve", &texts(&["-1"]), &[], "").unwrap_err().contains_key("ids"));
        assert!(ReviewRequest::parse("drop", &ids, &[], "").unwrap_err().contains_key("action"));
        let many: Vec<String> = (1..=101).map(|n| n.to_string()).collect();
        assert!(ReviewRequest::parse("approve", &many, &[], "").is_err());
    }
}
