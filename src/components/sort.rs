//! Sortable column headers: a link that sorts by its key, toggling direction when already active.
use leptos::prelude::*;

use super::url::href;
use crate::model::platform::page::ListQuery;

/// A `<th>` whose link sorts `path` by `key`. `keep` are the list's filter pairs (without sort,
/// direction or position); `default_key` is the sort used when the URL names none.
pub fn sort_header(
    path: &str,
    keep: &[(&'static str, String)],
    query: &ListQuery,
    key: &'static str,
    default_key: &str,
    label: &'static str,
) -> impl IntoView {
    let active = query.sort == key || (query.sort.is_empty() && key == default_key);
    let mut pairs = keep.to_vec();
    pairs.push(("sort", key.to_string()));
    if active && !query.desc {
        pairs.push(("dir", "desc".to_string()));
    }
    let (sort_state, arrow) = match (active, query.desc) {
        (false, _) => ("none", ""),
        (true, false) => ("ascending", " ▲"),
        (true, true) => ("descending", " ▼"),
    };
    view! { <th scope="col" aria-sort=sort_state><a href=href(path, &pairs)>{label}{arrow}</a></th> }
}

/// The pairs of `base` that a sort link keeps: everything but sort and direction.
pub fn without_sort(base: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    base.into_iter().filter(|(k, _)| *k != "sort" && *k != "dir").collect()
}
