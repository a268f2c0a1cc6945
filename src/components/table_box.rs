//! A table in a box of its own that scrolls sideways on a narrow screen (the page never does).
//! The box is a named region in the tab order, so a keyboard user can scroll to the columns it
//! hides (axe-core: scrollable-region-focusable).
use leptos::prelude::*;

#[component]
pub fn TableBox(
    /// What the table lists, as a screen reader announces the box ("Devices").
    label: &'static str,
    /// Only as wide as its content (small summaries).
    #[prop(optional)]
    compact: bool,
    children: Children,
) -> impl IntoView {
    let class = if compact { "table compact" } else { "table" };
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            <table class=class>{children()}</table>
        </div>
    }
}
