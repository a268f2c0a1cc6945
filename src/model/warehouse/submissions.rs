//! Floor submissions (DOMAIN.md, Warehouse): their three kinds, the formula of each, and a
//! bag's status against its label. These are the only places the rules are written; every
//! page, export and test calls them.
use serde::{Deserialize, Serialize};

/// What the floor counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubmissionKind {
    /// Displays, packs and loose tablets of a product: the line's good and damaged.
    Packaged,
    /// The tablets in one received bag, counted: a check of the bag against its label.
    Bag,
    /// A machine's turns pressing cards: the line's machine good and machine damaged.
    Machine,
}

impl SubmissionKind {
    pub const ALL: [SubmissionKind; 3] = [SubmissionKind::Packaged, SubmissionKind::Bag, SubmissionKind::Machine];

    /// Its value in the database and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionKind::Packaged => "packaged",
            SubmissionKind::Bag => "bag",
            SubmissionKind::Machine => "machine",
        }
    }

    pub fn parse(text: &str) -> Option<SubmissionKind> {
        SubmissionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            SubmissionKind::Packaged => "Packaged",
            SubmissionKind::Bag => "Bag count",
            SubmissionKind::Machine => "Machine",
        }
    }

    /// Whether its tablets count on a PO line (a bag count checks its bag only: the same
    /// tablets are counted again when they are packed).
    pub fn counts_on_line(self) -> bool {
        !matches!(self, SubmissionKind::Bag)
    }
}

/// The most tablets one count may make: far above a day's work, far below what line sums over
/// millions of counts could overflow.
pub const MAX_TABLETS: i64 = 1_000_000_000;

fn at_most_max(total: Option<i64>) -> Result<i64, String> {
    total
        .filter(|t| *t <= MAX_TABLETS)
        .ok_or_else(|| "These numbers make more than 1,000,000,000 tablets: check them.".to_string())
}

/// Good tablets of a packaged count: displays × ppd × tpp + packs × tpp + loose (DOMAIN.md:
/// ppd 20, tpp 4, 2 displays, 10 packs, 7 loose → 207). Damaged tablets are never part of it.
/// Refused when the product's ppd or tpp is missing or 0, or past `MAX_TABLETS`.
pub fn packaged_tablets(ppd: i64, tpp: i64, displays: i64, packs: i64, loose: i64) -> Result<i64, String> {
    if ppd <= 0 || tpp <= 0 {
        return Err(
            "This product has no packages per display or tablets per package set; a manager sets them first.".into()
        );
    }
    at_most_max(
        displays
            .checked_mul(ppd)
            .and_then(|d| d.checked_mul(tpp))
            .and_then(|d| packs.checked_mul(tpp).and_then(|p| d.checked_add(p)))
            .and_then(|t| t.checked_add(loose)),
    )
}

/// Tablets a machine pressed: turns × cards per turn × tpp (DOMAIN.md: 10 × 1 × 1 → 10). The
/// cards per turn are the machine's, else the setting's; tpp is that of the tablet type's
/// first product. Never evaluated through the packaged formula.
pub fn machine_tablets(turns: i64, cards_per_turn: i64, tpp: i64) -> Result<i64, String> {
    if cards_per_turn <= 0 || tpp <= 0 {
        return Err("This tablet type has no product with tablets per package set; a manager adds one first.".into());
    }
    at_most_max(turns.checked_mul(cards_per_turn).and_then(|c| c.checked_mul(tpp)))
}

/// A bag's status: its running total (good tablets over its submissions) against its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BagStatus {
    Match,
    Under,
    Over,
    /// The submission names no bag.
    NoBag,
}

impl BagStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BagStatus::Match => "match",
            BagStatus::Under => "under",
            BagStatus::Over => "over",
            BagStatus::NoBag => "no_bag",
        }
    }

    /// How a page says it.
    pub fn label(self) -> &'static str {
        match self {
            BagStatus::Match => "a match",
            BagStatus::Under => "under",
            BagStatus::Over => "over",
            BagStatus::NoBag => "no bag",
        }
    }
}

/// The one rule for a bag's status: `match` when |running − label| ≤ tolerance, else `under`
/// or `over`; `no_bag` when there is no bag (`None`). Label 480, count 478 → match; label 500,
/// running 207 → under.
pub fn bag_status(bag: Option<(i64, i64)>, tolerance: i64) -> BagStatus {
    let Some((running, label)) = bag else { return BagStatus::NoBag };
    let difference = running.saturating_sub(label);
    if difference.saturating_abs() <= tolerance {
        BagStatus::Match
    } else if difference < 0 {
        BagStatus::Under
    } else {
        BagStatus::Over
    }
}

/// Who may change a submission made by `made_by` (name, user id): a manager any; staff their
/// own (by user id, else by name for a count made without one) until it is verified. `me` is
/// the one asking.
pub fn may_change(
    manager: bool,
    me: (&str, Option<i64>),
    made_by: (&str, Option<i64>),
    verified: bool,
) -> Result<(), &'static str> {
    if manager {
        return Ok(());
    }
    let theirs = match (made_by.1, me.1) {
        (Some(made_by), Some(me)) => made_by == me,
        _ => made_by.0 == me.0,
    };
    match (theirs, verified) {
        (false, _) => Err("Staff change only their own submissions."),
        (true, true) => Err("This submission is verified: a manager changes it."),
        (true, false) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packaged_is_domain_md_207_and_refuses_a_missing_factor() {
        assert_eq!(packaged_tablets(20, 4, 2, 10, 7), Ok(207));
        assert_eq!(packaged_tablets(20, 4, 0, 0, 0), Ok(0));
        assert!(packaged_tablets(0, 4, 2, 10, 7).is_err());
        assert!(packaged_tablets(20, 0, 2, 10, 7).is_err());
        assert!(packaged_tablets(i64::MAX, 2, 2, 0, 0).is_err());
        assert!(packaged_tablets(100_000, 100_000, 1_000_000, 0, 0).is_err(), "10^16 tablets is no count");
    }

    #[test]
    fn machine_is_domain_md_10_and_never_the_packaged_formula() {
        assert_eq!(machine_tablets(10, 1, 1), Ok(10));
        assert_eq!(machine_tablets(10, 2, 4), Ok(80));
        assert!(machine_tablets(10, 1, 0).is_err());
        assert!(machine_tablets(i64::MAX, 2, 2).is_err());
    }

    #[test]
    fn bag_status_holds_at_the_tolerance_and_turns_one_past_it() {
        assert_eq!(bag_status(Some((478, 480)), 5), BagStatus::Match);
        assert_eq!(bag_status(Some((207, 500)), 5), BagStatus::Under);
        assert_eq!(bag_status(Some((505, 500)), 5), BagStatus::Match);
        assert_eq!(bag_status(Some((495, 500)), 5), BagStatus::Match);
        assert_eq!(bag_status(Some((506, 500)), 5), BagStatus::Over);
        assert_eq!(bag_status(Some((494, 500)), 5), BagStatus::Under);
        assert_eq!(bag_status(None, 5), BagStatus::NoBag);
    }

    #[test]
    fn staff_change_their_own_unverified_counts_and_managers_any() {
        let sam = ("sam", Some(7));
        assert_eq!(may_change(false, sam, ("sam", Some(7)), false), Ok(()));
        assert_eq!(may_change(false, sam, ("sam", Some(8)), false), Err("Staff change only their own submissions."));
        assert_eq!(may_change(false, sam, ("sam", None), false), Ok(()), "by name without an id");
        assert_eq!(
            may_change(false, sam, ("sam", Some(7)), true),
            Err("This submission is verified: a manager changes it.")
        );
        assert_eq!(may_change(true, sam, ("dana", Some(8)), true), Ok(()));
    }

    #[test]
    fn only_bag_counts_stay_off_the_line() {
        assert!(SubmissionKind::Packaged.counts_on_line());
        assert!(SubmissionKind::Machine.counts_on_line());
        assert!(!SubmissionKind::Bag.counts_on_line());
        for kind in SubmissionKind::ALL {
            assert_eq!(SubmissionKind::parse(kind.as_str()), Some(kind));
        }
    }
}
