//! Keyset paging for every list: pages seek on an indexed (key, id) pair instead of OFFSET, and
//! the numbered links around the current page carry cursors, so page N costs what page 1 costs.
use super::inline::InlineRow;
use super::sql::{read_all, BothRows, Sql, Value};
use super::{Db, DbResult};
use crate::model::page::{page_count, Cursor, ListQuery, Page, PageLink};
use crate::model::Timestamp;

/// The type of a sort key, so a cursor's text can be bound with the column's own type.
#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    Text,
    Time,
}

/// A list to page through: its columns, its `from` clause, `filter` (a `where` clause, never
/// empty: use `where true`), the sort key expression and the id expression.
pub struct KeysetList {
    pub columns: String,
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
    fn statement(&self, columns: Option<&str>, seek: Option<&Cursor>, forward: bool, limit: u64, offset: u64) -> Sql {
        let cols = columns.unwrap_or(&self.columns);
        let mut sql = Sql::new(&format!("select {cols} from {} ", self.from));
        sql.push(&self.filter.text);
        sql.binds.extend(self.filter.binds.iter().cloned());
        let ascending = forward != self.desc;
        if let Some(value) = seek.and_then(|c| key_value(self.kind, c).map(|v| (v, c.id))) {
            let op = if ascending { ">" } else { "<" };
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
    After(&'a Cursor),
    Before(&'a Cursor),
    Offset(u64),
    Last(u64),
}

/// Fetches one page of `list` for `query`, given the total row count under the filter.
pub async fn fetch_page<R: BothRows + Keyed + InlineRow>(
    db: &Db,
    list: &KeysetList,
    query: &ListQuery,
    total: u64,
) -> DbResult<Page<R>> {
    let per_page = query.per_page as u64;
    let pages = page_count(total, query.per_page);
    let mut page = query.page.min(pages);
    let reach = if query.last || (query.after.is_none() && query.before.is_none() && query.page > pages) {
        page = pages;
        Reach::Last(total.saturating_sub((pages as u64 - 1) * per_page).max(1))
    } else if let Some(c) = &query.after {
        Reach::After(c)
    } else if let Some(c) = &query.before {
        Reach::Before(c)
    } else if page > 1 {
        Reach::Offset((page as u64 - 1) * per_page)
    } else {
        Reach::Start
    };
    let (seek, forward, limit, offset) = match reach {
        Reach::Start => (None, true, per_page + 1, 0),
        Reach::After(c) => (Some(c), true, per_page + 1, 0),
        Reach::Before(c) => (Some(c), false, per_page + 1, 0),
        Reach::Offset(n) => (None, true, per_page + 1, n),
        Reach::Last(n) => (None, false, n, 0),
    };
    let mut rows: Vec<R> = read_all(db, list.statement(None, seek, forward, limit, offset)).await?;
    let more_in_direction = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    if !forward {
        rows.reverse();
    }
    if matches!(reach, Reach::Before(_)) && !more_in_direction {
        page = 1; // we ran into the start: whatever the URL said, this is page 1
    }
    let has_next = if forward { more_in_direction } else { page < pages };
    let window = window_links(db, list, &rows, page, pages, per_page, has_next).await?;
    let prev = window.iter().find(|l| l.page + 1 == page).cloned();
    let next = window.iter().find(|l| l.page == page + 1).cloned();
    Ok(Page { rows, page, per_page: query.per_page, total, pages, prev, next, window })
}

/// Links for pages page-2 ..= page+2 (those that exist), plus the first and the last page.
async fn window_links<R: Keyed>(
    db: &Db,
    list: &KeysetList,
    rows: &[R],
    page: u32,
    pages: u32,
    per_page: u64,
    has_next: bool,
) -> DbResult<Vec<PageLink>> {
    let mut links = vec![PageLink::first()];
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let (first, last) = (first.cursor(), last.cursor());
        if page > 2 {
            if page > 3 {
                if let Some(start) = key_a_page_away(db, list, &first, false, per_page).await? {
                    links.push(PageLink { page: page - 2, after: None, before: Some(start), last: false });
                }
            }
            links.push(PageLink { page: page - 1, after: None, before: Some(first.clone()), last: false });
        }
        if page > 1 {
            links.push(PageLink { page, after: None, before: None, last: false });
        }
        if has_next {
            links.push(PageLink { page: page + 1, after: Some(last.clone()), before: None, last: false });
            if let Some(end) = key_a_page_away(db, list, &last, true, per_page).await? {
                links.push(PageLink { page: page + 2, after: Some(end), before: None, last: false });
            }
        }
    }
    links.retain(|l| l.page <= pages);
    if links.last().map(|l| l.page) != Some(pages) && pages > 1 {
        links.push(PageLink { page: pages, after: None, before: None, last: true });
    }
    links.dedup_by_key(|l| l.page);
    Ok(links)
}

/// The (key, id) of the row `per_page` rows past `from` (in display order when `forward`, else
/// backwards), if at least one more row lies beyond it: the cursor that reaches the page after
/// next (or before previous). Only those two rows are read, not the page between.
async fn key_a_page_away(
    db: &Db,
    list: &KeysetList,
    from: &Cursor,
    forward: bool,
    per_page: u64,
) -> DbResult<Option<Cursor>> {
    let cols = format!("{}, {}", list.key_sql, list.id_sql);
    let sql = list.statement(Some(&cols), Some(from), forward, 2, per_page - 1);
    let keys: Vec<Cursor> = match list.kind {
        KeyKind::Text => {
            read_all::<(String, i64)>(db, sql).await?.into_iter().map(|(key, id)| Cursor { id, key }).collect()
        }
        KeyKind::Time => read_all::<(Timestamp, i64)>(db, sql)
            .await?
            .into_iter()
            .map(|(key, id)| Cursor { id, key: key.rfc3339() })
            .collect(),
    };
    Ok(if keys.len() == 2 { keys.into_iter().next() } else { None })
}
