//! The pager under every list: "1–25 of 100", first/prev/numbered/next/last, rows per page.
use leptos::prelude::*;

use super::url::href;
use crate::model::platform::page::{PageLink, PER_PAGE_CHOICES};

/// What the pager needs of a page (rows are not its business).
#[derive(Clone)]
pub struct PagerData {
    pub page: u32,
    pub pages: u32,
    pub total: u64,
    pub first_row: u64,
    pub last_row: u64,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    pub window: Vec<PageLink>,
}

impl<T> From<&crate::model::platform::page::Page<T>> for PagerData {
    fn from(p: &crate::model::platform::page::Page<T>) -> Self {
        Self {
            page: p.page,
            pages: p.pages,
            total: p.total,
            first_row: p.first_row(),
            last_row: p.last_row(),
            prev: p.prev.clone(),
            next: p.next.clone(),
            window: p.window.clone(),
        }
    }
}

/// `12345` → `12,345`: big totals are read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `path` is the list's URL; `base` keeps its filters; `per_page` is the current page size.
#[component]
pub fn Pager(data: PagerData, path: String, base: Vec<(&'static str, String)>, per_page: u32) -> impl IntoView {
    let link = {
        let (path, base) = (path.clone(), base.clone());
        move |l: &PageLink| {
            let mut pairs = base.clone();
            pairs.extend(l.params());
            href(&path, &pairs)
        }
    };
    let summary = if data.total == 0 {
        "No rows".to_string()
    } else {
        format!("{}–{} of {}", thousands(data.first_row), thousands(data.last_row), thousands(data.total))
    };
    let prev = data.prev.as_ref().map(|l| view! { <a rel="prev" href=link(l)>"‹ Previous"</a> });
    let next = data.next.as_ref().map(|l| view! { <a rel="next" href=link(l)>"Next ›"</a> });
    let numbers = data
        .window
        .iter()
        .map(|l| {
            let current = l.page == data.page;
            let label = l.page.to_string();
            if current {
                view! { <span class="current" aria-current="page">{label}</span> }.into_any()
            } else {
                view! { <a href=link(l) aria-label=format!("Page {}", l.page)>{label}</a> }.into_any()
            }
        })
        .collect_view();
    let hidden = base
        .into_iter()
        .filter(|(k, _)| *k != "per_page")
        .map(|(k, v)| view! { <input type="hidden" name=k value=v/> })
        .collect_view();
    let options = PER_PAGE_CHOICES
        .into_iter()
        .map(|n| view! { <option value=n.to_string() selected=n == per_page>{n}</option> })
        .collect_view();
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary">{summary}</span>
            <span class="pager-links">{prev}{numbers}{next}</span>
            <form method="get" action=path class="pager-size">
                {hidden}
                <label for="per_page">"Rows per page"</label>
                <select id="per_page" name="per_page">{options}</select>
                <button type="submit" class="secondary">"Apply"</button>
            </form>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(10_012), "10,012");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
