//! Keyset paging for every list: pages seek on an indexed (key, id) pair instead of OFFSET, and
//! the numbered links around the current page carry cursors, so page N costs what page 1 costs.
use crate::db::engine::inline::InlineRow;
use crate::db::engine::{run::read_all, run::BothRows, sql::Sql, sql::Value};
use crate::db::engine::{Db, DbResult};
use crate::model::platform::page::{page_count, Cursor, ListQuery, Page, PageLink};
use crate::model::platform::time::Timestamp;

/// The type of a sort key, so a cursor's text can be bound with the column's own type.
#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    Text,
    Time,
}

/// A list to page through: its columns, its `from` clause, `filter` (a `where` clause, never
/// empty: use `where true`), the sort key expression and the id expression.
pub struct KeysetList {
    /// The select list; a fragment with binds of its own if it needs them.
    pub columns: Sql,
    pub from: &'static str,
    pub filter: Sql,
    pub key_sql: &'static str,
    pub id_sql: &'static str,
    pub kind: KeyKind,
    pub desc: bool,
}

/// A row that can say where it stands in the sort order.
pub trait Keyed {
    fn cursor(&self) -> Cursor;
}

fn key_value(kind: KeyKind, cursor: &Cursor) -> Option<Value> {
    match kind {
        KeyKind::Text => Some(Value::Text(cursor.key.clone())),
        KeyKind::Time => Timestamp::parse(&cursor.key).map(Value::Time),
    }
}

impl KeysetList {
    /// `forward` means in display order. Builds select + filter + optional seek + order + limit.
    fn statement(&self, seek: Option<&Cursor>, forward: bool, limit: u64, offset: u64) -> Sql {
        let mut sql = Sql::new("select ");
        sql.append(&self.columns).push(" from ").push(self.from).push(" ").append(&self.filter);
        let ascending = forward != self.desc;
        if let Some(value) = seek.and_then(|c| key_value(self.kind, c).map(|v| (v, c.id))) {
            let (op, bound) = if ascending { (">", ">=") } else { ("<", "<=") };
            // The plain bound says the same as the row value for the key alone, but SQLite seeks
            // an expression index (`coalesce(…)`: last seen, IP) only on a plain comparison: with
            // the row value alone its plan was a SCAN of devices_ip_id from the first row.
            sql.push(&format!(" and {} {bound} ", self.key_sql)).bind(value.0.clone());
            sql.push(&format!(" and ({}, {}) {op} (", self.key_sql, self.id_sql));
            sql.bind(value.0).push(", ").bind(value.1).push(")");
        }
        let dir = if ascending { "asc" } else { "desc" };
        sql.push(&format!(" order by {} {dir}, {} {dir} limit ", self.key_sql, self.id_sql));
        sql.push_int(limit as i64);
        if offset > 0 {
            sql.push(" offset ").push_int(offset as i64);
        }
        sql
    }
}

/// How a request reaches its page.
enum Reach<'a> {
    Start,
    /// Rows past the cursor, after skipping this many.
    After(&'a Cursor, u64),
    /// Rows before the cursor (going backwards), after skipping this many.
    Before(&'a Cursor, u64),
    Offset(u64),
    Last(u64),
}

impl Reach<'_> {
    /// (seek, forward, limit, offset) of the statement that reads this reach's rows.
    fn statement_args(&self, per_page: u64) -> (Option<&Cursor>, bool, u64, u64) {
        match *self {
            Reach::Start => (None, true, per_page + 1, 0),
            Reach::After(c, skip) => (Some(c), true, per_page + 1, skip),
            Reach::Before(c, skip) => (Some(c), false, per_page + 1, skip),
            Reach::Offset(n) => (None, true, per_page + 1, n),
            Reach::Last(n) => (None, false, n, 0),
        }
    }
}

/// Fetches one page of `list` for `query`, given the total row count under the filter.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fetch_page<R: BothRows + Keyed + InlineRow>(
    db: &Db,
    list: &KeysetList,
    query: &ListQuery,
    total: u64,
) -> DbResult<Page<R>> {
    let per_page = query.per_page as u64;
    let pages = page_count(total, query.per_page);
    let last_page_rows = total.saturating_sub((pages as u64 - 1) * per_page).max(1);
    // A cursor's page number stands even past a count that lags: the rows decide (`total_seen`).
    let by_cursor = query.after.is_some() || query.before.is_some();
    let mut page = if by_cursor { query.page } else { query.page.min(pages) };
    let skip = if query.skip_page { per_page } else { 0 };
    let mut reach = if query.last || (query.after.is_none() && query.before.is_none() && query.page > pages) {
        page = pages;
        Reach::Last(last_page_rows)
    } else if let Some(c) = &query.after {
        Reach::After(c, skip)
    } else if let Some(c) = &query.before {
        Reach::Before(c, skip)
    } else if page > 1 {
        Reach::Offset((page as u64 - 1) * per_page)
    } else {
        Reach::Start
    };
    let (mut rows, mut more_in_direction) = read_rows::<R>(db, list, &reach, per_page).await?;
    // A link two pages away can outlive the rows it skips (deleted since): land on the list's
    // end it ran into instead of on an empty or a partial page.
    match reach {
        Reach::After(..) if rows.is_empty() => {
            (reach, page) = (Reach::Last(last_page_rows), pages);
            (rows, more_in_direction) = read_rows::<R>(db, list, &reach, per_page).await?;
        }
        Reach::Before(_, skip) if skip > 0 && !more_in_direction => {
            (reach, page) = (Reach::Start, 1);
            (rows, more_in_direction) = read_rows::<R>(db, list, &reach, per_page).await?;
        }
        Reach::Before(..) if !more_in_direction => page = 1, // we ran into the start
        _ => {}
    }
    let forward = reach.statement_args(per_page).1;
    let has_next = if forward { more_in_direction } else { page < pages };
    let reached_end = matches!(reach, Reach::Last(_)) || (forward && !more_in_direction);
    let total = total_seen(total, page, per_page, rows.len(), has_next, reached_end);
    Ok(page_of(rows, page, query.per_page, total, has_next))
}

/// The total to show with a page, so that it never contradicts the rows: a cached count lags
/// the table by up to `COUNT_TTL` (the audit log once read "1–11 of 9"). Rows before this page
/// and on it are known to exist; a page that reached the end knows the total exactly.
fn total_seen(counted: u64, page: u32, per_page: u64, rows: usize, has_next: bool, reached_end: bool) -> u64 {
    let through_this_page = (page as u64 - 1) * per_page + rows as u64;
    if reached_end && rows > 0 {
        through_this_page
    } else {
        counted.max(through_this_page + u64::from(has_next))
    }
}

/// Like `fetch_page`, with a total that may cost a query: `count` runs only when it is needed.
/// A first page that is not full holds the whole list, so its total is its own row count.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn fetch_page_counting<R, C>(db: &Db, list: &KeysetList, query: &ListQuery, count: C) -> DbResult<Page<R>>
where
    R: BothRows + Keyed + InlineRow,
    C: std::future::Future<Output = DbResult<u64>>,
{
    let plain_start = query.after.is_none() && query.before.is_none() && !query.last && query.page <= 1;
    if !plain_start {
        return fetch_page(db, list, query, count.await?).await;
    }
    let (rows, more) = read_rows::<R>(db, list, &Reach::Start, query.per_page as u64).await?;
    // A count that lags new rows must still leave a link to the rows past this page.
    let seen = rows.len() as u64 + u64::from(more);
    let total = if more { count.await?.max(seen) } else { seen };
    Ok(page_of(rows, 1, query.per_page, total, more))
}

/// Page `page` of `pages`, holding `rows`, with the links around it.
fn page_of<R: Keyed>(rows: Vec<R>, page: u32, per_page: u32, total: u64, has_next: bool) -> Page<R> {
    let pages = page_count(total, per_page);
    let window = window_links(&rows, page, pages, has_next);
    let prev = window.iter().find(|l| l.page + 1 == page).cloned();
    let next = window.iter().find(|l| l.page == page + 1).cloned();
    Page { rows, page, per_page, total, pages, prev, next, window }
}

/// The rows of one reach in display order, and whether more lie beyond them in its direction.
async fn read_rows<R: BothRows + Keyed + InlineRow>(
    db: &Db,
    list: &KeysetList,
    reach: &Reach<'_>,
    per_page: u64,
) -> DbResult<(Vec<R>, bool)> {
    let (seek, forward, limit, offset) = reach.statement_args(per_page);
    let mut rows: Vec<R> = read_all(db, list.statement(seek, forward, limit, offset)).await?;
    let more_in_direction = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    if !forward {
        rows.reverse();
    }
    Ok((rows, more_in_direction))
}

/// Links for pages page-2 ..= page+2 (those that exist), plus the first and the last page. The
/// ones two pages away start from this page's edge and skip a page, so they cost no query.
fn window_links<R: Keyed>(rows: &[R], page: u32, pages: u32, has_next: bool) -> Vec<PageLink> {
    let link = |page: u32, after: Option<Cursor>, before: Option<Cursor>, skip_page: bool| PageLink {
        page,
        after,
        before,
        skip_page,
        last: false,
    };
    let mut links = vec![PageLink::first()];
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let (first, last) = (first.cursor(), last.cursor());
        if page > 3 {
            links.push(link(page - 2, None, Some(first.clone()), true));
        }
        if page > 2 {
            links.push(link(page - 1, None, Some(first), false));
        }
        if page > 1 {
            links.push(link(page, None, None, false));
        }
        if has_next {
            links.push(link(page + 1, Some(last.clone()), None, false));
            links.push(link(page + 2, Some(last), None, true));
        }
    }
    links.retain(|l| l.page <= pages);
    if links.last().map(|l| l.page) != Some(pages) && pages > 1 {
        links.push(PageLink { page: pages, after: None, before: None, skip_page: false, last: true });
    }
    links.dedup_by_key(|l| l.page);
    links
}

#[cfg(test)]
mod tests {
    use super::total_seen;

    #[test]
    fn a_shown_total_never_contradicts_the_rows() {
        // A count of 9 cached before more rows came: page 1 holds 11 of at least 12.
        assert_eq!(total_seen(9, 1, 25, 11, true, false), 12);
        // The end was reached: the total is what was seen, higher or lower than the count.
        assert_eq!(total_seen(30, 2, 25, 25, false, true), 50);
        assert_eq!(total_seen(90, 2, 25, 5, false, true), 30);
        // A count ahead of the page is kept while more rows follow.
        assert_eq!(total_seen(1_000, 3, 25, 25, true, false), 1_000);
        // An empty list stays empty.
        assert_eq!(total_seen(0, 1, 25, 0, false, true), 0);
    }
}
