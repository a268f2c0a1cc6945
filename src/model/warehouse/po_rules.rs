//! Purchase orders (DOMAIN.md, Warehouse): their statuses and the moves a manager may make,
//! and the numbers a PO shows — ordered, good, damaged, remaining, overs — from its lines.
use serde::{Deserialize, Serialize};

/// A PO's status. Cancelled and Complete are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PoStatus {
    Draft,
    Issued,
    Shipped,
    PartiallyReceived,
    Received,
    Active,
    Complete,
    Cancelled,
}

impl PoStatus {
    pub const ALL: [PoStatus; 8] = [
        PoStatus::Draft,
        PoStatus::Issued,
        PoStatus::Shipped,
        PoStatus::PartiallyReceived,
        PoStatus::Received,
        PoStatus::Active,
        PoStatus::Complete,
        PoStatus::Cancelled,
    ];

    /// Its value in the database and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            PoStatus::Draft => "draft",
            PoStatus::Issued => "issued",
            PoStatus::Shipped => "shipped",
            PoStatus::PartiallyReceived => "partially_received",
            PoStatus::Received => "received",
            PoStatus::Active => "active",
            PoStatus::Complete => "complete",
            PoStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<PoStatus> {
        PoStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Its name as DOMAIN.md and the pages write it.
    pub fn label(self) -> &'static str {
        match self {
            PoStatus::Draft => "Draft",
            PoStatus::Issued => "Issued",
            PoStatus::Shipped => "Shipped",
            PoStatus::PartiallyReceived => "Partially Received",
            PoStatus::Received => "Received",
            PoStatus::Active => "Active",
            PoStatus::Complete => "Complete",
            PoStatus::Cancelled => "Cancelled",
        }
    }

    /// The statuses a manager may move a PO in this one to: forward along the flow (a step
    /// may be skipped when goods arrive unannounced), or to Cancelled until it is Active.
    pub fn next(self) -> &'static [PoStatus] {
        use PoStatus::*;
        match self {
            Draft => &[Issued, Cancelled],
            Issued => &[Shipped, PartiallyReceived, Received, Cancelled],
            Shipped => &[PartiallyReceived, Received, Cancelled],
            PartiallyReceived => &[Received, Cancelled],
            Received => &[Active, Cancelled],
            Active => &[Complete],
            Complete | Cancelled => &[],
        }
    }
}

/// A PO line's counts: what was ordered, and what the floor counted against it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCounts {
    pub ordered: i64,
    pub good: i64,
    pub damaged: i64,
}

impl LineCounts {
    /// Ordered − good − damaged; negative when more came than was ordered.
    pub fn remaining(&self) -> i64 {
        self.ordered - self.good - self.damaged
    }

    /// How many more were counted than ordered (0 when not more).
    pub fn excess(&self) -> i64 {
        (-self.remaining()).max(0)
    }

    /// Whether the floor counted anything against it.
    pub fn counted(&self) -> bool {
        self.good != 0 || self.damaged != 0
    }
}

/// A PO header's numbers: the sums over its lines (DOMAIN.md: 1000 − 905 − 3 = 92).
pub fn totals(lines: &[LineCounts]) -> LineCounts {
    lines.iter().fold(LineCounts::default(), |sum, l| LineCounts {
        ordered: sum.ordered + l.ordered,
        good: sum.good + l.good,
        damaged: sum.damaged + l.damaged,
    })
}

/// The PO's overs: |min(0, remaining)| of its header.
pub fn overs(lines: &[LineCounts]) -> i64 {
    totals(lines).excess()
}

/// Why a manager may not move a PO from `from` to `to` (with `counted` true once anything was
/// counted against it), or `None` when the move is allowed.
pub fn refuse_move(from: PoStatus, to: PoStatus, counted: bool) -> Option<String> {
    if to == PoStatus::Cancelled && counted {
        return Some("This PO has counted tablets: it cannot be cancelled. Close it instead.".into());
    }
    if !from.next().contains(&to) {
        let article = if from.label().starts_with(['A', 'E', 'I', 'O', 'U']) { "An" } else { "A" };
        return Some(format!("{article} {} PO cannot become {}.", from.label(), to.label()));
    }
    None
}

/// Where PO `number` (an overs PO when it has a `parent`) sorts in the PO list: its family
/// (the parent's number, else its own), then the PO before its overs, then its number; the
/// key the list's index and its keyset pages use (migration 0026 wrote it for older POs).
pub fn po_list_key(number: &str, parent: Option<&str>) -> String {
    let family = parent.unwrap_or(number).to_ascii_lowercase();
    let rank = if parent.is_some() { 1 } else { 0 };
    format!("{family} {rank} {}", number.to_ascii_lowercase())
}

/// The number of the overs PO of PO `number`.
pub fn overs_number(number: &str) -> String {
    format!("{number}-OVERS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overs_po_sorts_right_after_its_parent() {
        let mut keys = [
            po_list_key("PO-10", None),
            po_list_key("PO-1-OVERS", Some("PO-1")),
            po_list_key("po-1a", None),
            po_list_key("PO-1", None),
        ];
        keys.sort();
        assert_eq!(keys, ["po-1 0 po-1", "po-1 1 po-1-overs", "po-10 0 po-10", "po-1a 0 po-1a"]);
    }

    fn line(ordered: i64, good: i64, damaged: i64) -> LineCounts {
        LineCounts { ordered, good, damaged }
    }

    #[test]
    fn remaining_is_ordered_less_good_and_damaged_and_may_go_negative() {
        let po = [line(600, 500, 2), line(400, 405, 1)];
        let sum = totals(&po);
        assert_eq!((sum.ordered, sum.good, sum.damaged, sum.remaining()), (1000, 905, 3, 92));
        assert_eq!(overs(&po), 0, "a line's excess does not make overs while the PO is short");
        let over = [line(1000, 1010, 5)];
        assert_eq!((totals(&over).remaining(), overs(&over)), (-15, 15));
        assert_eq!(over[0].excess(), 15);
    }

    #[test]
    fn moves_follow_the_flow_and_counted_pos_are_not_cancelled() {
        assert_eq!(refuse_move(PoStatus::Draft, PoStatus::Issued, false), None);
        assert_eq!(refuse_move(PoStatus::Issued, PoStatus::Received, false), None);
        assert!(refuse_move(PoStatus::Received, PoStatus::Draft, false).unwrap().contains("cannot become Draft"));
        assert!(refuse_move(PoStatus::Active, PoStatus::Cancelled, true).unwrap().contains("cannot be cancelled"));
        assert!(refuse_move(PoStatus::Complete, PoStatus::Active, false).is_some());
        let active = refuse_move(PoStatus::Active, PoStatus::Cancelled, false).unwrap();
        assert_eq!(active, "An Active PO cannot become Cancelled.");
        for status in PoStatus::ALL {
            assert_eq!(PoStatus::parse(status.as_str()), Some(status));
            assert_eq!(status.next().is_empty(), matches!(status, PoStatus::Complete | PoStatus::Cancelled));
        }
    }

    #[test]
    fn an_overs_po_is_named_after_its_parent() {
        assert_eq!(overs_number("PO-TEST-001"), "PO-TEST-001-OVERS");
    }
}
