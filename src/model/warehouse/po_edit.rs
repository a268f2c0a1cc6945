//! Editing a purchase order's lines: the lines of the form are the PO's lines after the edit,
//! matched to the stored ones by inventory item (unique within a PO). A stored line still on
//! the form keeps its number and takes the form's name and quantity; one left off is removed;
//! an item new to the PO is a new line numbered after the last. A line with counted tablets,
//! or with bags received under its item, stays: removing it, or changing its item, would leave
//! its counts or its bags on no line.
use super::po_form::PoLineInput;

/// A stored line as the edit needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    pub line_no: i64,
    pub inventory_item: String,
    pub name: String,
    pub quantity: i64,
    /// Good, damaged or machine counts are not all 0, or bags of its item were received.
    pub fixed: bool,
}

/// What an edit does to the lines; empty when it changes none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    pub removed: Vec<i64>,
    /// (line number, name, quantity)
    pub changed: Vec<(i64, String, i64)>,
    /// (line number, inventory item, name, quantity)
    pub added: Vec<(i64, String, String, i64)>,
}

impl LineEdit {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.changed.is_empty() && self.added.is_empty()
    }
}

/// The edit that turns `stored` into `wanted` (names already given), or why it is refused.
pub fn plan_line_edit(stored: &[StoredLine], wanted: &[PoLineInput]) -> Result<LineEdit, String> {
    let mut edit = LineEdit::default();
    for line in stored {
        match wanted.iter().find(|w| w.inventory_item == line.inventory_item) {
            None if line.fixed => {
                return Err(format!(
                    "Line {} ({}) has counted tablets or received bags: it stays on the PO with its item.",
                    line.line_no, line.inventory_item
                ))
            }
            None => edit.removed.push(line.line_no),
            Some(w) if w.name != line.name || w.quantity != line.quantity => {
                edit.changed.push((line.line_no, w.name.clone(), w.quantity))
            }
            Some(_) => {}
        }
    }
    let mut next = stored.iter().map(|l| l.line_no).max().unwrap_or(0);
    for w in wanted.iter().filter(|w| !stored.iter().any(|l| l.inventory_item == w.inventory_item)) {
        next += 1;
        edit.added.push((next, w.inventory_item.clone(), w.name.clone(), w.quantity));
    }
    Ok(edit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(line_no: i64, item: &str, quantity: i64, fixed: bool) -> StoredLine {
        StoredLine { line_no, inventory_item: item.into(), name: item.into(), quantity, fixed }
    }

    fn wanted(item: &str, quantity: i64) -> PoLineInput {
        PoLineInput { row: 1, inventory_item: item.into(), name: item.into(), quantity }
    }

    #[test]
    fn lines_are_matched_by_item_kept_changed_removed_or_added_after_the_last() {
        let lines = [stored(1, "A", 600, true), stored(2, "B", 400, false), stored(3, "C", 10, false)];
        let edit = plan_line_edit(&lines, &[wanted("C", 10), wanted("A", 700), wanted("D", 5)]).unwrap();
        assert_eq!(edit.removed, [2]);
        assert_eq!(edit.changed, [(1, "A".to_string(), 700)]);
        assert_eq!(edit.added, [(4, "D".to_string(), "D".to_string(), 5)]);
        assert!(plan_line_edit(&lines, &[wanted("A", 600), wanted("B", 400), wanted("C", 10)]).unwrap().is_empty());
    }

    #[test]
    fn a_counted_line_is_neither_removed_nor_given_another_item() {
        let lines = [stored(1, "A", 600, true)];
        let refused = plan_line_edit(&lines, &[wanted("A2", 600)]).unwrap_err();
        assert_eq!(refused, "Line 1 (A) has counted tablets or received bags: it stays on the PO with its item.");
    }
}
