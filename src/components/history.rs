//! The link from an object's page to its history: the audit log filtered to that object (every
//! change, with the old and new value of each field). Shown to admins, who read the log.
use leptos::prelude::*;

use super::me::me;
use super::url::href;
use crate::model::platform::user::Role;

#[component]
pub fn HistoryLink(entity_type: &'static str, #[prop(into)] entity_id: String) -> impl IntoView {
    let user = me();
    let link = href("/admin/audit", &[("entity_type", entity_type.to_string()), ("entity_id", entity_id)]);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let link = link.clone();
                Suspend::new(async move {
                    let admin = matches!(user.await, Ok(Some(u)) if u.role == Role::Admin);
                    admin.then(|| view! { <p class="history"><a href=link>"History: every change to this "{entity_type}</a></p> })
                })
            }}
        </Suspense>
    }
}
