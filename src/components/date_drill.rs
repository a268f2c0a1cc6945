//! The year → month → day drill-down above a list with dates: a trail back up and the periods
//! one level down, each a link that sets the list's `from` and `to` days.
use leptos::prelude::*;

use super::url::href;
use crate::model::platform::day_range::{Drill, DrillLink};

/// `keep` holds the list's other filters and search (without dates or a page position).
#[component]
pub fn DateDrill(drill: Drill, path: String, keep: Vec<(&'static str, String)>) -> impl IntoView {
    let keep: Vec<(&'static str, String)> = keep.into_iter().filter(|(k, _)| !matches!(*k, "from" | "to")).collect();
    let target = move |l: &DrillLink| {
        let mut pairs = keep.clone();
        pairs.extend([("from", l.from.clone()), ("to", l.to.clone())].into_iter().filter(|(_, v)| !v.is_empty()));
        href(&path, &pairs)
    };
    let last = drill.trail.len().saturating_sub(1);
    let trail = drill
        .trail
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let here = (i == last).then_some("page");
            view! { <li><a href=target(l) aria-current=here>{l.label.clone()}</a></li> }
        })
        .collect_view();
    let choices =
        drill.choices.iter().map(|l| view! { <li><a href=target(l)>{l.label.clone()}</a></li> }).collect_view();
    view! {
        <nav class="date-drill" aria-label="Dates">
            <ol class="drill-trail">{trail}</ol>
            <ul class="chips drill-choices">{choices}</ul>
        </nav>
    }
}
