//! The sites table: search, sortable columns, keyset pages; all state in the URL.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::fleet::list_sites;
use crate::components::error_view::ErrorView;
use crate::components::pager::{Pager, PagerData};
use crate::components::sort::{sort_header, without_sort};
use crate::components::status::SiteStatusBadge;
use crate::components::url::use_list_query;
use crate::model::fleet::SiteRow;
use crate::model::page::{ListQuery, Page};

#[component]
pub fn SitesPage() -> impl IntoView {
    let query = use_list_query();
    let sites = Resource::new(move || query.get(), list_sites);
    view! {
        <Title text="Sites"/>
        <h1>"Sites"</h1>
        <SearchForm query=query.get_untracked()/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match sites.await {
                    Ok(page) => view! { <SitesTable page query=query.get_untracked()/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SearchForm(query: ListQuery) -> impl IntoView {
    let keep = query.base_params().into_iter().filter(|(k, _)| *k != "q");
    let hidden = keep.map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view();
    view! {
        <form method="get" action="/sites" class="filters" role="search">
            {hidden}
            <label for="q">"Search"</label>
            <input id="q" name="q" type="search" value=query.q placeholder="site id or name" maxlength="100"/>
            <button type="submit">"Search"</button>
            <a href="/sites" class="secondary-link">"Clear"</a>
        </form>
    }
}

#[component]
fn SitesTable(page: Page<SiteRow>, query: ListQuery) -> impl IntoView {
    let pager = PagerData::from(&page);
    let rows = page
        .rows
        .into_iter()
        .map(|s| {
            let link = format!("/sites/{}", s.site_id);
            view! {
                <tr>
                    <td><a href=link>{s.site_id}</a></td>
                    <td>{s.name}</td>
                    <td>{s.location}</td>
                    <td class="num">{s.device_count}</td>
                    <td><SiteStatusBadge status=s.status/></td>
                    <td>{s.created_at.display()}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = pager.total == 0;
    let keep = without_sort(query.base_params());
    let header = |key, label| sort_header("/sites", &keep, &query, key, "site_id", label);
    view! {
        <table class="table">
            <thead>
                <tr>
                    {header("site_id", "Site")}
                    {header("name", "Name")}
                    <th scope="col">"Location"</th>
                    <th scope="col" class="num">"Devices"</th>
                    <th scope="col">"Status"</th>
                    {header("created", "Created")}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <Show when=move || empty>
            <p class="muted">"No sites match. Try a shorter search."</p>
        </Show>
        <Pager data=pager path="/sites".to_string() base=query.base_params() per_page=query.per_page/>
    }
}
