//! Every API token (admins): device tokens and collector tokens, live and revoked; revoke any,
//! and make a collector token, shown once.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::api::fleet::tokens::{list_api_tokens, take_new_collector_token, CreateCollectorToken};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::KeepTyped;
use crate::components::refresh::{data_version, refresh_after};
use crate::components::role_gate::refuse_below;
use crate::components::shown_once::ShownOnce;
use crate::components::token_table::TokenTable;
use crate::model::platform::user::Role;

#[component]
pub fn TokensPage() -> impl IntoView {
    let params = use_query_map();
    let with_revoked =
        Memo::new(move |_| params.try_with(|p| p.get("revoked").is_some_and(|v| v == "1")).unwrap_or(false));
    let me = crate::components::me::me();
    let tokens = Resource::new(
        move || (with_revoked.try_get().unwrap_or_default(), data_version()),
        |(all, _)| list_api_tokens(None, all),
    );
    let token_run = crate::components::url::use_done_run(&["created"]);
    let fresh = Resource::new(
        move || token_run.try_get().flatten(),
        |run| async move {
            if run.is_some() {
                take_new_collector_token().await
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <Title text="API tokens"/>
        <h1>"API tokens"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                let fresh = fresh.await.ok().flatten();
                match tokens.await {
                    Ok(rows) => view! { <TokensView rows fresh with_revoked=with_revoked.try_get_untracked().unwrap_or_default()/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TokensView(
    rows: Vec<crate::model::admin::accounts::TokenRow>,
    fresh: Option<String>,
    with_revoked: bool,
) -> impl IntoView {
    let create = ServerAction::<CreateCollectorToken>::new();
    refresh_after(create);
    let error = use_form_error(create);
    let toggle = if with_revoked {
        view! { <a href="/admin/tokens">"Show live tokens only"</a> }
    } else {
        view! { <a href="/admin/tokens?revoked=1">"Show revoked tokens too"</a> }
    };
    let params = use_query_map();
    let revoked = move || params.try_with(|p| p.get("done")).flatten().as_deref() == Some("revoked");
    view! {
        {fresh.map(|token| view! { <ShownOnce what="New collector token".to_string() value=token/> })}
        <Show when=revoked>
            <p class="flash flash-ok" role="status">"Token revoked: requests with it are refused from now on."</p>
        </Show>
        <p class="muted">
            "Devices send health checks with a token as " <code>"Authorization: Bearer …"</code>
            ". A device token reports for its device only; a collector token for every device. "
            "Only a hash of each token is kept; a revoked token is refused at once."
        </p>
        <p>{toggle}</p>
        <TokenTable rows device=None/>
        <h2>"New collector token"</h2>
        <FormError error/>
        <KeepTyped fn_path={<CreateCollectorToken as ServerFn>::PATH}>
            <ActionForm action=create attr:class="stack">
                <TextField label="What it is for" name="label" field="label" value="" error required=true maxlength=100
                    hint="For example: Store 12 health collector"/>
                <button type="submit">"Create collector token"</button>
            </ActionForm>
        </KeepTyped>
    }
}
