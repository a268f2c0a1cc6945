//! List paging: the query a list page asks for (parsed leniently from the URL) and the page it gets.
use serde::{Deserialize, Serialize};

pub const PER_PAGE_CHOICES: [u32; 3] = [25, 50, 100];
/// Longest search text kept; longer input is cut, not refused.
pub const MAX_SEARCH_CHARS: usize = 100;
/// Page numbers beyond this are clamped: nobody pages that far by hand.
pub const MAX_PAGE: u32 = 1_000_000;

/// A keyset position: the sort key and id of a row. Encoded `id.key` in URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub id: i64,
    pub key: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.id, self.key)
    }

    /// `None` for anything malformed: a bad cursor falls back to page-number paging.
    pub fn decode(text: &str) -> Option<Cursor> {
        let (id, key) = text.split_once('.')?;
        let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
        (key.chars().count() <= 300).then(|| Cursor { id, key: key.to_string() })
    }
}

/// What a list asks for. Every field is already clamped to a sane value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub q: String,
    pub sort: String,
    pub desc: bool,
    pub per_page: u32,
    pub page: u32,
    pub after: Option<Cursor>,
    pub before: Option<Cursor>,
    /// Start one page further from the cursor: the links two pages away carry the cursor of
    /// the current page's edge and this, so drawing them needs no extra query.
    pub skip_page: bool,
    /// Show the last page (counted from the end).
    pub last: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            sort: String::new(),
            desc: false,
            per_page: PER_PAGE_CHOICES[0],
            page: 1,
            after: None,
            before: None,
            skip_page: false,
            last: false,
        }
    }
}

impl ListQuery {
    /// Builds a query from URL parameters, clamping instead of failing: garbage gives page 1.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let page = get("page").and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1);
        Self {
            q: clean_search(&get("q").unwrap_or_default()),
            sort: get("sort").unwrap_or_default().chars().take(32).collect(),
            desc: get("dir").as_deref() == Some("desc"),
            per_page: clamp_per_page(get("per_page").and_then(|p| p.trim().parse::<i64>().ok())),
            page: page.clamp(1, MAX_PAGE as i64) as u32,
            after: get("after").and_then(|c| Cursor::decode(&c)),
            before: get("before").and_then(|c| Cursor::decode(&c)),
            skip_page: get("skip").as_deref() == Some("1"),
            last: get("last").as_deref() == Some("1"),
        }
    }

    /// The same query with every field forced into range (server functions take queries from
    /// anywhere, not only from `from_params`).
    pub fn clamped(&self) -> Self {
        Self {
            q: clean_search(&self.q),
            sort: self.sort.chars().take(32).collect(),
            per_page: clamp_per_page(Some(self.per_page as i64)),
            page: self.page.clamp(1, MAX_PAGE),
            after: self.after.clone().filter(|c| c.id > 0 && c.key.chars().count() <= 300),
            before: self.before.clone().filter(|c| c.id > 0 && c.key.chars().count() <= 300),
            ..self.clone()
        }
    }

    /// The query-string pairs that keep filters and sort (not the position).
    pub fn base_params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.is_empty() {
            out.push(("q", self.q.clone()));
        }
        if !self.sort.is_empty() {
            out.push(("sort", self.sort.clone()));
        }
        if self.desc {
            out.push(("dir", "desc".to_string()));
        }
        if self.per_page != PER_PAGE_CHOICES[0] {
            out.push(("per_page", self.per_page.to_string()));
        }
        out
    }
}

/// Nearest allowed page size at or above the request (25, 50, 100).
pub fn clamp_per_page(requested: Option<i64>) -> u32 {
    let wanted = requested.unwrap_or(PER_PAGE_CHOICES[0] as i64);
    PER_PAGE_CHOICES
        .into_iter()
        .find(|choice| wanted <= *choice as i64)
        .unwrap_or(PER_PAGE_CHOICES[PER_PAGE_CHOICES.len() - 1])
}

/// Trims, drops control characters and cuts to `MAX_SEARCH_CHARS`.
pub fn clean_search(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(MAX_SEARCH_CHARS).collect::<String>().trim().to_string()
}

/// A link to one page of a list: its number and the position that reaches it cheaply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLink {
    pub page: u32,
    pub after: Option<Cursor>,
    pub before: Option<Cursor>,
    /// One page beyond the cursor (see `ListQuery::skip_page`).
    pub skip_page: bool,
    pub last: bool,
}

impl PageLink {
    pub fn first() -> Self {
        Self { page: 1, after: None, before: None, skip_page: false, last: false }
    }

    /// Query-string pairs for this position.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.page > 1 {
            out.push(("page", self.page.to_string()));
        }
        if let Some(c) = &self.after {
            out.push(("after", c.encode()));
        }
        if let Some(c) = &self.before {
            out.push(("before", c.encode()));
        }
        if self.skip_page {
            out.push(("skip", "1".to_string()));
        }
        if self.last {
            out.push(("last", "1".to_string()));
        }
        out
    }
}

/// One page of rows with everything the pager needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    pub pages: u32,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    /// Numbered links around the current page (including it), then first and last.
    pub window: Vec<PageLink>,
}

impl<T> Page<T> {
    /// The same page with every row converted.
    pub fn map_rows<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
            pages: self.pages,
            prev: self.prev,
            next: self.next,
            window: self.window,
        }
    }

    /// 1-based index of the first row shown, 0 when empty.
    pub fn first_row(&self) -> u64 {
        if self.rows.is_empty() {
            0
        } else {
            (self.page as u64 - 1) * self.per_page as u64 + 1
        }
    }

    pub fn last_row(&self) -> u64 {
        self.first_row() + self.rows.len().saturating_sub(1) as u64
    }
}

/// Pages needed for `total` rows (at least 1, so an empty list has a page 1).
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let pages = total.div_ceil(per_page.max(1) as u64).max(1);
    pages.min(MAX_PAGE as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery::from_params(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn garbage_params_clamp_to_sane_values() {
        let q = query(&[("page", "-1"), ("per_page", "1000000000"), ("after", "x.y")]);
        assert_eq!((q.page, q.per_page, q.after), (1, 100, None));
        assert_eq!(query(&[("page", "abc"), ("per_page", "7")]).page, 1);
        assert_eq!(query(&[("per_page", "30")]).per_page, 50);
        assert_eq!(query(&[("page", "99999999999")]).page, MAX_PAGE);
    }

    #[test]
    fn search_is_cut_and_cleaned() {
        let long = "é".repeat(500);
        assert_eq!(query(&[("q", &long)]).q.chars().count(), MAX_SEARCH_CHARS);
        assert_eq!(query(&[("q", " a\u{0}b\n ")]).q, "ab");
    }

    #[test]
    fn cursor_round_trips_keys_with_dots() {
        let c = Cursor { id: 42, key: "Lyon. Depot #1".into() };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("-3.a"), None);
    }

    #[test]
    fn fifteen_rows_of_ten_make_two_pages() {
        assert_eq!(page_count(15, 10), 2);
        assert_eq!(page_count(0, 25), 1);
    }
}
