//! Every live session (admins), or one user's with `?user=ID`; revoke one, or all of a user's.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin::sessions::{list_sessions, RevokeUserSessions, SessionList};
use crate::components::error_view::ErrorView;
use crate::components::refresh::{data_version, refresh_after};
use crate::components::role_gate::refuse_below;
use crate::components::session_table::{RevokeKind, SessionTable};
use crate::components::words::count_of;
use crate::model::platform::user::Role;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let params = use_query_map();
    let user_id = Memo::new(move |_| params.try_with(|p| p.get("user")).flatten().and_then(|v| v.parse::<i64>().ok()));
    let me = crate::components::me::me();
    let sessions =
        Resource::new(move || (user_id.try_get().unwrap_or_default(), data_version()), |(id, _)| list_sessions(id));
    view! {
        <Title text="Sessions"/>
        <h1>"Live sessions"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                match sessions.await {
                    Ok(list) => view! { <SessionsView list user_id=user_id.try_get_untracked().unwrap_or_default()/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SessionsView(list: SessionList, user_id: Option<i64>) -> impl IntoView {
    let sign_out = ServerAction::<RevokeUserSessions>::new();
    refresh_after(sign_out);
    let shown = list.rows.len();
    let summary = if (shown as i64) < list.total {
        format!("The {shown} most recently used of {}.", count_of(list.total, "session", "sessions"))
    } else {
        format!("{}.", count_of(list.total, "session", "sessions"))
    };
    let revoke_all = user_id.map(|id| {
        view! {
            <p><a href="/admin/sessions">"All users"</a></p>
            <ActionForm action=sign_out>
                <input type="hidden" name="user_id" value=id.to_string()/>
                <button type="submit" class="secondary">"End all of this user's sessions"</button>
            </ActionForm>
        }
    });
    view! {
        <p class="muted">{summary}" A revoked session is logged out at its next request."</p>
        {revoke_all}
        <SessionTable rows=list.rows show_user=true revoke=RevokeKind::Admin/>
    }
}
