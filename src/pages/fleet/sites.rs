//! The sites table: search, sortable columns, keyset pages; all state in the URL.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::fleet::lists::list_sites;
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::pager::{Pager, PagerData};
use crate::components::sort::{sort_header, without_sort};
use crate::components::status::SiteStatusBadge;
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::url::use_list_query;
use crate::model::fleet::sites::SiteRow;
use crate::model::platform::page::{ListQuery, Page};
use crate::model::platform::user::Role;

#[component]
pub fn SitesPage() -> impl IntoView {
    let query = use_list_query();
    let params = use_query_map();
    let archived = Memo::new(move |_| params.try_with(|p| p.get("archived")).flatten().as_deref() == Some("1"));
    let sites = Resource::new(
        move || (query.try_get().unwrap_or_default(), archived.try_get().unwrap_or_default()),
        |(q, a)| list_sites(q, a),
    );
    let user = crate::components::me::me();
    view! {
        <Title text="Sites"/>
        <div class="page-head">
            <h1>{move || if archived.try_get().unwrap_or_default() { "Archived sites" } else { "Sites" }}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let manager = matches!(user.await, Ok(Some(u)) if u.role >= Role::Manager);
                    manager.then(|| view! { <a class="button-link" href="/sites/new">"New site"</a> })
                })}
            </Suspense>
        </div>
        <PurgedFlash/>
        <SearchForm query=query.try_get_untracked().unwrap_or_default() archived=archived.try_get_untracked().unwrap_or_default()/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                crate::components::time::provide_zone(&user.await);
                match sites.await {
                    Ok(page) => {
                        view! { <SitesTable page query=query.try_get_untracked().unwrap_or_default() archived=archived.try_get_untracked().unwrap_or_default()/> }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// "Site site-00042 purged with its 12 devices." after a purge redirected here.
#[component]
fn PurgedFlash() -> impl IntoView {
    let params = use_query_map();
    let text = move || {
        params
            .try_with(|p| {
                let site = p.get("purged")?;
                let devices = p.get("devices").and_then(|d| d.parse::<i64>().ok()).unwrap_or(0);
                Some(format!("Site {site} purged with its {devices} devices. The audit log keeps a record."))
            })
            .flatten()
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

/// The pairs every link on the list keeps: filters, sort, page size, archived view.
fn list_params(query: &ListQuery, archived: bool) -> Vec<(&'static str, String)> {
    let mut pairs = query.base_params();
    if archived {
        pairs.push(("archived", "1".to_string()));
    }
    pairs
}

/// The CSV download of the same view: search and archived view, every page.
fn export_link(base: &[(&'static str, String)]) -> String {
    let keep: Vec<_> = base.iter().filter(|(k, _)| matches!(*k, "q" | "archived")).cloned().collect();
    crate::components::url::href("/sites/export", &keep)
}

#[component]
fn SearchForm(query: ListQuery, archived: bool) -> impl IntoView {
    let keep = list_params(&query, archived).into_iter().filter(|(k, _)| *k != "q");
    let hidden = keep.map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view();
    let (other, other_label) =
        if archived { ("/sites", "Show active sites") } else { ("/sites?archived=1", "Show archived sites") };
    view! {
        <form method="get" action="/sites" class="filters" role="search">
            {hidden}
            <label for="q">"Search"</label>
            <input id="q" name="q" type="search" value=query.q placeholder="site id or name" maxlength="100"/>
            <button type="submit">"Search"</button>
            <a href="/sites" class="secondary-link">"Clear"</a>
            <a href=other class="secondary-link">{other_label}</a>
        </form>
    }
}

#[component]
fn SitesTable(page: Page<SiteRow>, query: ListQuery, archived: bool) -> impl IntoView {
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
                    <td><Time at=s.created_at/></td>
                </tr>
            }
        })
        .collect_view();
    let empty = pager.total == 0;
    let base = list_params(&query, archived);
    let keep = without_sort(base.clone());
    let (sort_keep, sort_query) = (keep.clone(), query.clone());
    let header = move |key, label| sort_header("/sites", &sort_keep, &sort_query, key, "site_id", label);
    view! {
        <TableBox label="Sites">
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
        </TableBox>
        {empty.then(|| if archived && query.q.is_empty() {
            view! { <EmptyState narrowed=false what="archived sites" clear="/sites" first_steps=vec![("/sites", "Back to the active sites")]/> }
        } else {
            view! {
                <EmptyState narrowed=!query.q.is_empty() what="sites" clear="/sites"
                    first_steps=vec![("/sites/new", "Add a site"), ("/import", "import a CSV file")]/>
            }
        })}
        <Pager data=pager path="/sites".to_string() base=base.clone() per_page=query.per_page/>
        <p><a rel="external" download="" href=export_link(&base)>"Export these sites as CSV"</a></p>
    }
}
