//! One user (admins): edit, reset the password, sign out everywhere, delete, and live sessions.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::user_form::UserFields;
use crate::api::admin::sessions::{list_sessions, RevokeUserSessions};
use crate::api::admin::users::{get_user, take_new_password, DeleteUser, ResetPassword, UpdateUser};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::kept::KeepTyped;
use crate::components::refresh::{data_version, refresh_after};
use crate::components::role_gate::refuse_below;
use crate::components::session_table::{RevokeKind, SessionTable};
use crate::components::shown_once::ShownOnce;
use crate::model::admin::accounts::{UserForm, UserRow};
use crate::model::platform::user::Role;

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.try_with(|p| p.get("id")).flatten().and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let me = crate::components::me::me();
    let user = Resource::new(move || (id.try_get().unwrap_or_default(), data_version()), |(id, _)| get_user(id));
    let password_due = crate::components::url::use_done_is(&["created", "reset"]);
    let fresh = Resource::new(
        move || (id.try_get().unwrap_or_default(), password_due.try_get().unwrap_or_default()),
        |(id, due)| async move {
            if due {
                take_new_password(id).await
            } else {
                Ok(None)
            }
        },
    );
    let sessions =
        Resource::new(move || (id.try_get().unwrap_or_default(), data_version()), |(id, _)| list_sessions(Some(id)));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                let user = match user.await {
                    Ok(user) => user,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let fresh = fresh.await.ok().flatten();
                let sessions = match sessions.await {
                    Ok(list) => view! { <SessionTable rows=list.rows show_user=false revoke=RevokeKind::Admin/> }
                        .into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                };
                view! { <UserDetail user fresh sessions/> }.into_any()
            })}
        </Suspense>
    }
}

/// "User saved." and the like, from the `done` parameter a change redirects with.
#[component]
fn UserFlash() -> impl IntoView {
    let params = use_query_map();
    let text = move || {
        let text = match params.try_with(|p| p.get("done")).flatten()?.as_str() {
            "created" => "User created. They choose their own password at the first login.",
            "saved" => "User saved.",
            "reset" => "Password reset. Every session of this user has ended.",
            "signed_out" => "Every session of this user has ended.",
            _ => return None,
        };
        Some(text)
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

#[component]
fn UserDetail(user: UserRow, fresh: Option<String>, sessions: AnyView) -> impl IntoView {
    let update = ServerAction::<UpdateUser>::new();
    let error = use_form_error(update);
    refresh_after(update);
    let title = format!("User {}", user.username);
    let audit = format!("/admin/audit?entity_type=user&entity_id={}", user.id);
    let (id, username, form) = (user.id, user.username.clone(), StoredValue::new(UserForm::from_row(&user)));
    let fresh = fresh.map(|password| view! { <ShownOnce what=format!("Password for {username}") value=password/> });
    view! {
        <Title text=title.clone()/>
        <p class="crumbs"><a href="/admin/users">"Users"</a>" / "{user.username.clone()}</p>
        <h1>{title}</h1>
        <UserFlash/>
        {fresh}
        <FormError error/>
        <KeepTyped fn_path={<UpdateUser as ServerFn>::PATH}>
            <ActionForm action=update attr:class="card">
                <input type="hidden" name="id" value=id.to_string()/>
                <UserFields values=form.get_value() error with_active=true/>
                <button type="submit">"Save user"</button>
            </ActionForm>
        </KeepTyped>
        <UserActions id username/>
        <h2>"Sessions"</h2>
        {sessions}
        <p class="history"><a href=audit>"History: every change to this user"</a></p>
    }
}

#[component]
fn UserActions(id: i64, username: String) -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let sign_out = ServerAction::<RevokeUserSessions>::new();
    let delete = ServerAction::<DeleteUser>::new();
    refresh_after(reset);
    refresh_after(sign_out);
    let reset_error = use_form_error(reset);
    let delete_error = use_form_error(delete);
    let id = id.to_string();
    let (id_reset, id_sign_out) = (id.clone(), id.clone());
    view! {
        <FormError error=reset_error/>
        <div class="actions">
            <ActionForm action=reset>
                <input type="hidden" name="id" value=id_reset/>
                <button type="submit" class="secondary">"Reset password"</button>
            </ActionForm>
            <ActionForm action=sign_out>
                <input type="hidden" name="user_id" value=id_sign_out/>
                <button type="submit" class="secondary">"Sign out everywhere"</button>
            </ActionForm>
        </div>
        <section class="danger-zone" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete " {username}</h2>
            <p>"Only for accounts with no history. Anyone who has logged in stays in the audit log: deactivate them instead."</p>
            <FormError error=delete_error/>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="danger">"Delete user"</button>
            </ActionForm>
        </section>
    }
}
