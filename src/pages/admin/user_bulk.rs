//! The users table's action menu (deactivate) and the page that asks before it runs on the
//! ticked users, named as the database has them.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::user_bulk::{get_user_names, BulkUsers};
use crate::components::bulk::{BulkBar, ConfirmButtons, NothingToDo, RowTick, TickedList};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::role_gate::refuse_below;
use crate::model::admin::user_bulk::{UserBulkRequest, USER_BULK_CHOICES};
use crate::model::platform::bulk::list_return;
use crate::model::platform::user::Role;

const BULK_FORM: &str = "bulk-users";

#[component]
pub fn UserBulkBar(back: String) -> impl IntoView {
    view! { <BulkBar form_id=BULK_FORM confirm="/admin/users/bulk" what="users" choices=&USER_BULK_CHOICES back/> }
}

#[component]
pub fn UserTick(id: i64, username: String) -> impl IntoView {
    view! { <RowTick form_id=BULK_FORM name="user" value=id.to_string() label=username/> }
}

#[component]
pub fn UserBulkPage() -> impl IntoView {
    let params = use_query_map();
    let user = crate::components::me::me();
    let (action, ticked, back) = params.with_untracked(|p| {
        (p.get("action").unwrap_or_default(), p.get_all("user").unwrap_or_default(), p.get("back").unwrap_or_default())
    });
    let list = list_return("/admin/users", &back, &[]);
    let asked = StoredValue::new((action, ticked, back, list));
    let names = Resource::new(
        move || {
            asked.with_value(|(_, ticked, _, _)| {
                ticked.iter().filter_map(|t| t.trim().parse::<i64>().ok()).take(101).collect::<Vec<_>>()
            })
        },
        get_user_names,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let me = match user.await {
                    Ok(Some(me)) if me.role >= Role::Admin => me,
                    other => return refuse_below(Role::Admin, other).unwrap_or_else(|| ().into_any()),
                };
                let (action, ticked, back, list) = asked.get_value();
                match (UserBulkRequest::parse(&action, &ticked, me.id), names.await) {
                    (Ok(request), Ok(names)) => view! { <Ask request names back list/> }.into_any(),
                    (Err(errors), _) => view! { <NothingToDo errors list what="users"/> }.into_any(),
                    (_, Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Ask(request: UserBulkRequest, names: Vec<(i64, String)>, back: String, list: String) -> impl IntoView {
    let action = ServerAction::<BulkUsers>::new();
    let error = use_form_error(action);
    let hidden_ids = request
        .user_ids
        .iter()
        .enumerate()
        .map(|(i, id)| view! { <input type="hidden" name=format!("user_ids[{i}]") value=id.to_string()/> })
        .collect_view();
    let named = names.into_iter().map(|(id, name)| (format!("/admin/users/{id}"), name)).collect();
    view! {
        <Title text=request.question()/>
        <p class="crumbs"><a href=list.clone()>"Users"</a>" / with the ticked users"</p>
        <h1>{request.question()}</h1>
        <FormError error/>
        <p>"They can no longer log in, and their sessions end now. Their records and history stay."</p>
        <TickedList items=named/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="action" value="deactivate"/>
            <input type="hidden" name="back" value=back/>
            {hidden_ids}
            <ConfirmButtons label=request.confirm_label() list/>
        </ActionForm>
    }
}
