//! Choosing a site by its id or its name: a text input tied to a list of matching sites. The
//! page arrives with the sites that match what the field holds (a browser narrows that list
//! as one types, with or without JavaScript); with JavaScript the list follows every change
//! of the text (the sites search, 25 at a time). The server still checks the site it is given.
use leptos::prelude::*;

use super::kept::kept_value;
use crate::api::fleet::lists::list_sites;
use crate::model::fleet::sites::SiteRow;
use crate::model::platform::page::ListQuery;

/// Sites offered at a time (one of the page sizes the sites search allows).
const CHOICES: u32 = 25;

/// The sites a picker offers and what they follow. Made by the page itself, outside any
/// `Suspense` that may render its content more than once (`KeepTyped`): resources must be
/// made in the same order on the server and in the browser, or hydration fails.
#[derive(Clone, Copy)]
pub struct SiteChoices {
    typed: RwSignal<String>,
    asked: RwSignal<bool>,
    sites: Resource<Vec<SiteRow>>,
}

/// Choices for a field that starts out holding `initial`; with `on_typing`, none are asked for
/// until the user types (a filter on a busy list page, which should not search sites on every
/// view).
pub fn site_choices(initial: String, on_typing: bool) -> SiteChoices {
    let typed = RwSignal::new(initial);
    let asked = RwSignal::new(!on_typing);
    let sites = Resource::new(
        move || (asked.get(), typed.get()),
        |(asked, q)| async move {
            if !asked {
                return Vec::new();
            }
            let query = ListQuery { q: q.trim().to_string(), per_page: CHOICES, ..ListQuery::default() };
            list_sites(query, false).await.map(|page| page.rows).unwrap_or_default()
        },
    );
    SiteChoices { typed, asked, sites }
}

/// The picker's input, named `name`, with the id `id` (its label's `for`).
#[component]
pub fn SiteInput(
    id: &'static str,
    name: &'static str,
    #[prop(into)] value: String,
    choices: SiteChoices,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] invalid: Signal<bool>,
    #[prop(optional)] described_by: &'static str,
) -> impl IntoView {
    let value = kept_value(name, value);
    let list = format!("{id}-choices");
    let SiteChoices { typed, asked, sites } = choices;
    view! {
        <input id=id name=name value=value list=list.clone() required=required maxlength="64" autocomplete="off"
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=(!described_by.is_empty()).then_some(described_by)
            on:input=move |ev| {
                asked.set(true);
                typed.set(event_target_value(&ev));
            }/>
        <datalist id=list>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    sites
                        .await
                        .into_iter()
                        .map(|s| view! { <option value=s.site_id label=s.name></option> })
                        .collect_view()
                })}
            </Transition>
        </datalist>
    }
}
