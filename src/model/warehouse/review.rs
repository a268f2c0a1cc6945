//! The review queue's rule: why a submission waits for a manager, decided once from what it
//! is counted against and its bag's status, and the queue's rows, page and bulk actions.
use serde::{Deserialize, Serialize};

use super::submissions::{BagStatus, SubmissionKind};

/// Why a submission waits for a manager (the review queue's reasons), in the order a manager
/// settles them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WaitReason {
    /// Two or more received bags matched: a manager chooses one.
    NeedsReview,
    /// Nothing to count against: no received bag (none was given, or none matched) and no PO.
    NoBag,
    /// A bag but no PO (its receive has none yet), or a PO without a line for the item.
    Unassigned,
    /// Its bag's running total is past the label count by more than the tolerance.
    Over,
    /// Its bag's running total is short of the label count by more than the tolerance.
    Under,
}

/// What a submission is counted against, as the queue's rule reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitFacts {
    pub kind: SubmissionKind,
    pub needs_review: bool,
    pub has_bag: bool,
    pub has_po: bool,
    pub has_line: bool,
    /// Its bag's status (`bag_status`), `NoBag` without one.
    pub status: BagStatus,
}

impl WaitReason {
    pub const ALL: [WaitReason; 5] =
        [WaitReason::NeedsReview, WaitReason::NoBag, WaitReason::Unassigned, WaitReason::Over, WaitReason::Under];

    /// The one rule: why a submission with `facts` needs a person, or `None` when it only
    /// waits for approval (or needs nothing).
    pub fn of(facts: &WaitFacts) -> Option<WaitReason> {
        if facts.needs_review {
            Some(WaitReason::NeedsReview)
        } else if !facts.has_bag && !facts.has_po {
            Some(WaitReason::NoBag)
        } else if !facts.has_po || (facts.kind.counts_on_line() && !facts.has_line) {
            Some(WaitReason::Unassigned)
        } else {
            match facts.status {
                BagStatus::Over => Some(WaitReason::Over),
                BagStatus::Under => Some(WaitReason::Under),
                BagStatus::Match | BagStatus::NoBag => None,
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::NeedsReview => "needs_review",
            WaitReason::NoBag => "no_bag",
            WaitReason::Unassigned => "unassigned",
            WaitReason::Over => "over",
            WaitReason::Under => "under",
        }
    }

    pub fn parse(text: &str) -> Option<WaitReason> {
        WaitReason::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// How the queue names it.
    pub fn label(self) -> &'static str {
        match self {
            WaitReason::NeedsReview => "Needs review",
            WaitReason::NoBag => "No bag",
            WaitReason::Unassigned => "Unassigned",
            WaitReason::Over => "Over",
            WaitReason::Under => "Under",
        }
    }

    /// What the person who saved it is told, and the queue's hint.
    pub fn message(self) -> &'static str {
        match self {
            WaitReason::NeedsReview => "More than one received bag matches: a manager chooses one.",
            WaitReason::NoBag => "No received bag matches or none was given: a manager assigns it.",
            WaitReason::Unassigned => "Its bag has no PO, or its PO no line for this item: a manager assigns it.",
            WaitReason::Over => "Its bag's running total is over the label count: a manager checks it.",
            WaitReason::Under => "Its bag's running total is under the label count: a manager checks it.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> WaitFacts {
        WaitFacts {
            kind: SubmissionKind::Packaged,
            needs_review: false,
            has_bag: true,
            has_po: true,
            has_line: true,
            status: BagStatus::Match,
        }
    }

    #[test]
    fn each_reason_in_the_order_a_manager_settles_them() {
        assert_eq!(WaitReason::of(&facts()), None);
        assert_eq!(
            WaitReason::of(&WaitFacts { needs_review: true, has_bag: false, ..facts() }),
            Some(WaitReason::NeedsReview)
        );
        assert_eq!(WaitReason::of(&WaitFacts { has_bag: false, has_po: false, ..facts() }), Some(WaitReason::NoBag));
        // A count a manager gave a PO without a bag waits only for approval.
        let on_po = WaitFacts { has_bag: false, status: BagStatus::NoBag, ..facts() };
        assert_eq!(WaitReason::of(&on_po), None);
        assert_eq!(WaitReason::of(&WaitFacts { has_po: false, ..facts() }), Some(WaitReason::Unassigned));
        assert_eq!(WaitReason::of(&WaitFacts { has_line: false, ..facts() }), Some(WaitReason::Unassigned));
        let bag_count = WaitFacts { kind: SubmissionKind::Bag, has_line: false, ..facts() };
        assert_eq!(WaitReason::of(&bag_count), None, "a bag count goes on no line");
        assert_eq!(WaitReason::of(&WaitFacts { status: BagStatus::Over, ..facts() }), Some(WaitReason::Over));
        assert_eq!(WaitReason::of(&WaitFacts { status: BagStatus::Under, ..facts() }), Some(WaitReason::Under));
        for reason in WaitReason::ALL {
            assert_eq!(WaitReason::parse(reason.as_str()), Some(reason));
        }
    }
}
