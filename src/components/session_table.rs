//! A table of live sessions with a revoke button per row: a user's own (My account) or anyone's
//! (admins). The caller's current session is marked.
use leptos::form::ActionForm;
use leptos::prelude::*;

use super::error_view::FormError;
use super::form::use_form_error;
use super::refresh::refresh_after;
use crate::api::admin::sessions::{RevokeMySession, RevokeSession};
use crate::components::table_box::TableBox;
use crate::components::time::{Time, TimeAgo};
use crate::model::admin::accounts::SessionRow;
use crate::model::platform::time::Timestamp;

/// Whose sessions the buttons may end: the caller's own, or anyone's (admins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeKind {
    Own,
    Admin,
}

/// "Chrome on Linux"-like text is guesswork; the raw agent, shortened, is honest.
fn short_agent(agent: &str) -> String {
    let mut short: String = agent.chars().take(60).collect();
    if agent.chars().count() > 60 {
        short.push('…');
    }
    short
}

#[component]
pub fn SessionTable(rows: Vec<SessionRow>, show_user: bool, revoke: RevokeKind) -> impl IntoView {
    let own = ServerAction::<RevokeMySession>::new();
    let any = ServerAction::<RevokeSession>::new();
    refresh_after(own);
    refresh_after(any);
    let own_error = use_form_error(own);
    let any_error = use_form_error(any);
    let now = Timestamp::now();
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|s| {
            let button = if s.current {
                view! { <span class="badge">"this session"</span> }.into_any()
            } else if revoke == RevokeKind::Own {
                view! {
                    <ActionForm action=own>
                        <input type="hidden" name="key" value=s.key.clone()/>
                        <button type="submit" class="secondary">"Revoke"</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <ActionForm action=any>
                        <input type="hidden" name="key" value=s.key.clone()/>
                        <button type="submit" class="secondary">"Revoke"</button>
                    </ActionForm>
                }
                .into_any()
            };
            let user_cell = show_user.then(|| {
                let link = format!("/admin/users/{}", s.user_id);
                view! { <td><a href=link>{s.username.clone()}</a></td> }
            });
            view! {
                <tr>
                    {user_cell}
                    <td>{s.ip.clone()}</td>
                    <td title=s.user_agent.clone()>{short_agent(&s.user_agent)}</td>
                    <td><Time at=s.created_at/></td>
                    <td><TimeAgo at=s.last_seen_at now/></td>
                    <td>{button}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <FormError error=own_error/>
        <FormError error=any_error/>
        <TableBox label="Sessions">
            <thead>
                <tr>
                    {show_user.then(|| view! { <th scope="col">"User"</th> })}
                    <th scope="col">"IP"</th>
                    <th scope="col">"Device (user agent)"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col"><span class="visually-hidden">"Revoke"</span></th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </TableBox>
        <Show when=move || empty>
            <p class="muted">"No live sessions."</p>
        </Show>
    }
}
