//! What a list says when it has no rows: why, and what to do next.
use leptos::prelude::*;

/// `narrowed`: a filter or search is set, so the way on is to clear it (`clear`); otherwise
/// the list is empty and `first_steps` say how to fill it.
#[component]
pub fn EmptyState(
    narrowed: bool,
    what: &'static str,
    clear: &'static str,
    first_steps: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    if narrowed {
        return view! {
            <p class="empty">
                {format!("No {what} match these filters or this search. ")}
                <a href=clear>{format!("Show all {what}")}</a>
            </p>
        }
        .into_any();
    }
    let steps = first_steps
        .into_iter()
        .enumerate()
        .map(|(i, (href, label))| view! { {(i > 0).then_some(" or ")}<a href=href>{label}</a> })
        .collect_view();
    view! { <p class="empty">{format!("No {what} yet. ")}{steps}"."</p> }.into_any()
}
