//! Two row types read from one row: a statement that joins what two queries read (a job's
//! summary and its rules) decodes into both, by column name, on either engine and inline.
use super::inline::InlineRow;

/// The row decoded as `A` and as `B` (each takes the columns it names).
#[derive(Debug, Clone)]
pub struct Joined<A, B>(pub A, pub B);

impl<'r, R: sqlx::Row, A: sqlx::FromRow<'r, R>, B: sqlx::FromRow<'r, R>> sqlx::FromRow<'r, R> for Joined<A, B> {
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(Joined(A::from_row(row)?, B::from_row(row)?))
    }
}

// The layout is `A`'s length, then `A`'s columns, then `B`'s.
impl<A: InlineRow, B: InlineRow> InlineRow for Joined<A, B> {
    fn layout(statement: &rusqlite::Statement<'_>) -> rusqlite::Result<Vec<usize>> {
        let first = A::layout(statement)?;
        let mut layout = Vec::with_capacity(1 + first.len());
        layout.push(first.len());
        layout.extend(first);
        layout.extend(B::layout(statement)?);
        Ok(layout)
    }

    fn from_inline(row: &rusqlite::Row<'_>, layout: &[usize]) -> rusqlite::Result<Self> {
        let (&split, rest) = layout.split_first().unwrap_or((&0, &[]));
        let (first, second) = rest.split_at(split.min(rest.len()));
        Ok(Joined(A::from_inline(row, first)?, B::from_inline(row, second)?))
    }
}
