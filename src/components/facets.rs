//! Django-style sidebar filters: each choice of a low-cardinality field is a link with its count
//! under the list's other filters, so a click narrows the list and nothing needs JavaScript.
use leptos::prelude::*;

use super::pager::thousands;
use super::url::href;
use crate::model::platform::facet::FacetChoice;

/// The choices of one field: "All" and each value, the current one marked. `keep` holds the
/// list's other filters and its search (without `param` and without a page position).
#[component]
pub fn Facet(
    title: &'static str,
    param: &'static str,
    choices: Vec<FacetChoice>,
    current: String,
    path: &'static str,
    keep: Vec<(&'static str, String)>,
) -> impl IntoView {
    let keep: Vec<(&'static str, String)> = keep.into_iter().filter(|(k, _)| *k != param).collect();
    let all: u64 = choices.iter().map(|c| c.count).sum();
    let choice = |label: String, value: Option<String>, count: u64| {
        let here = (value.as_deref().unwrap_or_default() == current).then_some("true");
        let mut pairs = keep.clone();
        pairs.extend(value.map(|v| (param, v)));
        view! {
            <li><a href=href(path, &pairs) aria-current=here>{label}" "<span class="count">{thousands(count)}</span></a></li>
        }
    };
    let items = choices.iter().map(|c| choice(c.value.clone(), Some(c.value.clone()), c.count)).collect_view();
    view! {
        <section class="facet" aria-label=format!("Filter by {}", title.to_lowercase())>
            <h2>{title}</h2>
            <ul>{choice("All".into(), None, all)}{items}</ul>
        </section>
    }
}
