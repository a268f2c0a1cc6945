//! The users table (admins): search, role and active filters, sortable columns, keyset pages.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::users::{get_user_facets, list_users};
use crate::components::bulk::{provide_tick_all, BulkFlash, TickHeader};
use crate::components::empty::EmptyState;
use crate::components::error_view::ErrorView;
use crate::components::facets::Facet;
use crate::components::form::choice_options;
use crate::components::pager::{Pager, PagerData};
use crate::components::role_gate::refuse_below;
use crate::components::sort::{sort_header, without_sort};
use crate::components::table_box::TableBox;
use crate::components::time::{provide_zone, Time};
use crate::components::url::{href, use_list_query};
use crate::model::admin::accounts::{UserFacets, UserFilter, UserRow};
use crate::model::admin::user_bulk::USER_BULK_WORDS;
use crate::model::platform::page::{ListQuery, Page};
use crate::model::platform::user::{Role, ROLE_NAMES};
use crate::pages::admin::user_bulk::{UserBulkBar, UserTick};

const PATH: &str = "/admin/users";

#[component]
pub fn UsersPage() -> impl IntoView {
    let params = use_query_map();
    let filter = Memo::new(move |_| params.try_with(|p| UserFilter::from_params(|k| p.get(k))).unwrap_or_default());
    let query = use_list_query();
    let user = crate::components::me::me();
    // The table and its sidebar follow the same filters, search and data version.
    let view_of = move || {
        (
            filter.try_get().unwrap_or_default(),
            query.try_get().unwrap_or_default(),
            crate::components::refresh::data_version(),
        )
    };
    let users = Resource::new(view_of, |(f, q, _)| list_users(f, q));
    let facets = Resource::new(view_of, |(f, q, _)| get_user_facets(f, q));
    view! {
        <Title text="Users"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                provide_zone(&user);
                let me = match user {
                    Ok(Some(me)) if me.role >= Role::Admin => me.id,
                    other => return refuse_below(Role::Admin, other).unwrap_or_else(|| ().into_any()),
                };
                let (filter, query) = (filter.try_get_untracked().unwrap_or_default(), query.try_get_untracked().unwrap_or_default());
                let table = match users.await {
                    Ok(page) => view! { <UsersTable page filter=filter.clone() query=query.clone() me/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                };
                let facets = facets.await.unwrap_or_default();
                view! {
                    <div class="page-head">
                        <h1>"Users"</h1>
                        <a class="button-link" href="/admin/users/new">"New user"</a>
                    </div>
                    <DeletedFlash/>
                    <BulkFlash words=&USER_BULK_WORDS/>
                    <FilterForm filter=filter.clone() query=query.clone()/>
                    <div class="with-sidebar">
                        <div class="list-main">{table}</div>
                        <UserSidebar facets filter query/>
                    </div>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// "User ann deleted." after a delete redirected here.
#[component]
fn DeletedFlash() -> impl IntoView {
    let params = use_query_map();
    let text = move || params.try_with(|p| p.get("deleted")).flatten().map(|name| format!("User {name} deleted."));
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

#[component]
fn FilterForm(filter: UserFilter, query: ListQuery) -> impl IntoView {
    let keep = query.base_params().into_iter().filter(|(k, _)| matches!(*k, "sort" | "dir" | "per_page"));
    let hidden = keep.map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view();
    let active = filter.active.clone();
    view! {
        <form method="get" action=PATH class="filters" role="search">
            {hidden}
            <div class="field">
                <label for="q">"Search"</label>
                <input id="q" name="q" type="search" value=query.q placeholder="username, email or name"
                    maxlength="100"/>
            </div>
            <div class="field">
                <label for="role">"Role"</label>
                <select id="role" name="role">{choice_options(&ROLE_NAMES, &filter.role)}</select>
            </div>
            <div class="field">
                <label for="active">"Active"</label>
                <select id="active" name="active">
                    <option value="" selected=active.is_empty()>"Any"</option>
                    <option value="yes" selected=active == "yes">"Active"</option>
                    <option value="no" selected=active == "no">"Deactivated"</option>
                </select>
            </div>
            <button type="submit">"Apply"</button>
            <a href=PATH class="secondary-link">"Clear"</a>
        </form>
    }
}

fn user_row(u: UserRow, me: i64) -> impl IntoView {
    let link = format!("/admin/users/{}", u.id);
    let state = match (u.active, u.must_change_password) {
        (false, _) => "deactivated",
        (true, true) => "must set a password",
        (true, false) => "active",
    };
    view! {
        <tr>
            {if u.id == me { view! { <td class="tick"></td> }.into_any() } else { view! { <UserTick id=u.id username=u.username.clone()/> }.into_any() }}
            <td><a href=link>{u.username}</a></td>
            <td>{u.full_name}</td>
            <td>{u.email}</td>
            <td><span class="badge badge-role">{u.role}</span></td>
            <td>{state}</td>
            <td>{match u.last_login_at { Some(at) => view! { <Time at/> }.into_any(), None => "never".into_any() }}</td>
            <td><Time at=u.created_at/></td>
        </tr>
    }
}

/// Counts per role and per state under the other filters; each a link that narrows the table.
#[component]
fn UserSidebar(facets: UserFacets, filter: UserFilter, query: ListQuery) -> impl IntoView {
    let mut keep = filter.params();
    keep.extend(query.base_params());
    view! {
        <aside class="sidebar" aria-label="Filter users">
            <Facet title="Role" param="role" choices=facets.roles current=filter.role.clone() path=PATH keep=keep.clone()/>
            <Facet title="Active" param="active" choices=facets.active current=filter.active.clone() path=PATH keep/>
        </aside>
    }
}

#[component]
fn UsersTable(page: Page<UserRow>, filter: UserFilter, query: ListQuery, me: i64) -> impl IntoView {
    provide_tick_all();
    let pager = PagerData::from(&page);
    let empty = pager.total == 0;
    let rows = page.rows.into_iter().map(|u| user_row(u, me)).collect_view();
    let mut base = query.base_params();
    base.extend(filter.params());
    let back = href("", &base).trim_start_matches('?').to_string();
    let keep = without_sort(base.clone());
    let (sort_keep, sort_query) = (keep.clone(), query.clone());
    let header = move |key, label| sort_header(PATH, &sort_keep, &sort_query, key, "username", label);
    view! {
        {(!empty).then(|| view! { <UserBulkBar back/> })}
        <TableBox label="Users">
            <thead>
                <tr>
                    <TickHeader/>
                    {header("username", "Username")}
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Last login"</th>
                    {header("created", "Created")}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
        // The admin looking is a user, so only a filter or a search can empty this list.
        {empty.then(|| view! { <EmptyState narrowed=true what="users" clear=PATH first_steps=vec![]/> })}
        <Pager data=pager path=PATH.to_string() base per_page=query.per_page/>
    }
}
