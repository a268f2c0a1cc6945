//! Row checkboxes and the action menu above a table, for an action on many rows at once. The
//! menu is a GET form leading to the list's confirmation page; the checkboxes sit in the rows
//! and name the form (`form=`), so the table needs no form around it and nothing needs
//! JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::model::platform::bulk::{outcome_message, BulkWords};

/// The action menu. `form_id` is named by the rows' checkboxes; `confirm` is the page that asks
/// before anything runs; `back` is the list's query string, to return to the same view;
/// `children` are extra fields an action needs (the site of a move).
#[component]
pub fn BulkBar(
    form_id: &'static str,
    confirm: &'static str,
    what: &'static str,
    choices: &'static [(&'static str, &'static str)],
    back: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let options = choices.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view();
    let select_id = format!("{form_id}-action");
    view! {
        <form method="get" action=confirm id=form_id class="bulk-bar">
            <input type="hidden" name="back" value=back/>
            <label for=select_id.clone()>{format!("With the ticked {what}")}</label>
            <select id=select_id name="action">{options}</select>
            {children.map(|c| c())}
            <button type="submit" class="secondary">"Go"</button>
        </form>
    }
}

/// The header's "tick every row" box, which the rows follow once the app runs.
#[derive(Clone, Copy)]
struct TickAll(RwSignal<bool>);

/// Makes one "tick every row" box for the `TickHeader` and `RowTick`s below: call it in the
/// table's component.
pub fn provide_tick_all() {
    provide_context(TickAll(RwSignal::new(false)));
}

/// The checkbox cell of one row: ticks `value` under `name` in the form `form_id`. It follows
/// the header's box only when that box changes, so a box ticked before the app loaded stays.
#[component]
pub fn RowTick(form_id: &'static str, name: &'static str, value: String, label: String) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    if let Some(TickAll(all)) = use_context::<TickAll>() {
        Effect::new(move |before: Option<bool>| {
            let ticked = all.get();
            if let (Some(_), Some(el)) = (before, input.get()) {
                el.set_checked(ticked);
            }
            ticked
        });
    }
    view! {
        <td class="tick">
            <input node_ref=input type="checkbox" form=form_id name=name value=value aria-label=format!("Tick {label}")/>
        </td>
    }
}

/// The header cell above the checkboxes, with a box that ticks every row of the page. That box
/// needs the app: the server renders it hidden, so nobody without JavaScript sees a box that
/// does nothing.
#[component]
pub fn TickHeader() -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move || ready.set(true));
    let all = use_context::<TickAll>();
    let change = move |ev| {
        if let Some(TickAll(all)) = all {
            all.set(event_target_checked(&ev));
        }
    };
    view! {
        <th scope="col" class="tick">
            <span class="visually-hidden">"Tick"</span>
            <input type="checkbox" hidden=move || !ready.get() aria-label="Tick every row on this page" on:change=change/>
        </th>
    }
}

/// The confirmation's list of what was ticked, each linked to its page.
#[component]
pub fn TickedList(items: Vec<(String, String)>) -> impl IntoView {
    let items = items.into_iter().map(|(href, label)| view! { <li><a href=href>{label}</a></li> }).collect_view();
    view! { <ul class="bulk-list">{items}</ul> }
}

/// What the last action did ("3 devices archived."), above the list it returned to.
#[component]
pub fn BulkFlash(words: &'static BulkWords) -> impl IntoView {
    let params = use_query_map();
    let text = move || params.try_with(|p| outcome_message(words, |k| p.get(k))).flatten();
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

/// The confirmation page when nothing can run yet (nothing ticked, a bad id): each reason, and
/// the way back to the list (`what` names its rows: "devices").
#[component]
pub fn NothingToDo(errors: crate::error::FieldErrors, list: String, what: &'static str) -> impl IntoView {
    let messages = errors.into_values().map(|m| view! { <li>{m}</li> }).collect_view();
    view! {
        <Title text="Nothing to do"/>
        <h1>"Nothing to do yet"</h1>
        <div class="flash flash-error" role="alert"><ul>{messages}</ul></div>
        <p><a href=list>{format!("Back to the {what}")}</a></p>
    }
}

/// The end of a confirmation form: the button that runs the action, and "Cancel" back to the list.
#[component]
pub fn ConfirmButtons(label: String, list: String) -> impl IntoView {
    view! {
        <p>
            <button type="submit">{label}</button>
            " "<a href=list>"Cancel"</a>
        </p>
    }
}
