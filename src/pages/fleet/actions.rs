//! Buttons that change a site or a device (managers and admins), and the flash that confirms them.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::fleet::devices::RotateDeviceToken;
use crate::api::fleet::edit::{PurgeSite, SetDeviceArchived, SetSiteArchived};
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::refresh::refresh_after;
use crate::components::token_table::TokenTable;
use crate::model::admin::accounts::TokenRow;

/// "Site created." and the like, from the `done` parameter a change redirects with.
#[component]
pub fn DoneFlash(what: &'static str) -> impl IntoView {
    let params = use_query_map();
    let text = move || {
        // try_with: a client that leaves mid-render disposes the query map before this runs.
        let done = params.try_with(|p| p.get("done")).flatten()?;
        let verb = match done.as_str() {
            "created" => "created",
            "saved" => "saved",
            "archived" => "archived",
            "restored" => "restored",
            "revoked" => {
                return Some("Token revoked: the device's requests with it are refused from now on.".to_string())
            }
            _ => return None,
        };
        Some(format!("{what} {verb}."))
    };
    move || text().map(|t| view! { <p class="flash flash-ok" role="status">{t}</p> })
}

#[component]
pub fn SiteActions(site_id: String, archived: bool) -> impl IntoView {
    let archive = ServerAction::<SetSiteArchived>::new();
    let purge = ServerAction::<PurgeSite>::new();
    refresh_after(archive);
    let purge_error = use_form_error(purge);
    let (label, value) = if archived { ("Restore site", "false") } else { ("Archive site", "true") };
    let new_device = format!("/devices/new?site={site_id}");
    let edit = format!("/sites/{site_id}/edit");
    let (archive_key, purge_key) = (site_id.clone(), site_id);
    view! {
        <div class="actions">
            <a class="button-link" href=edit>"Edit site"</a>
            <a class="button-link" href=new_device>"Add a device"</a>
            <ActionForm action=archive>
                <input type="hidden" name="site_id" value=archive_key/>
                <input type="hidden" name="archive" value=value/>
                <button type="submit" class="secondary">{label}</button>
            </ActionForm>
        </div>
        <section class="danger-zone" aria-labelledby="purge-title">
            <h2 id="purge-title">"Purge this site"</h2>
            <p>"Deletes the site, its devices and their health history for good. An audit record remains."</p>
            <FormError error=purge_error/>
            <ActionForm action=purge attr:class="stack">
                <input type="hidden" name="site_id" value=purge_key/>
                <TextField label="Type the site id to confirm" name="confirm" field="confirm" value=""
                    error=purge_error maxlength=64/>
                <button type="submit" class="danger">"Purge site"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn DeviceActions(device_id: String, active: bool) -> impl IntoView {
    let archive = ServerAction::<SetDeviceArchived>::new();
    refresh_after(archive);
    let (label, value) = if active { ("Archive device", "true") } else { ("Restore device", "false") };
    let edit = format!("/devices/{device_id}/edit");
    view! {
        <div class="actions">
            <a class="button-link" href=edit>"Edit or move device"</a>
            <ActionForm action=archive>
                <input type="hidden" name="device_id" value=device_id/>
                <input type="hidden" name="archive" value=value/>
                <button type="submit" class="secondary">{label}</button>
            </ActionForm>
        </div>
    }
}

/// The device's API tokens: the live ones (revoke any), make a new one (revoking the old), and
/// see it once right after.
#[component]
pub fn TokenSection(device_id: String, fresh: Option<String>, tokens: Vec<TokenRow>) -> impl IntoView {
    let rotate = ServerAction::<RotateDeviceToken>::new();
    refresh_after(rotate);
    view! {
        <h2>"API token"</h2>
        <p>
            "The device sends its health checks to " <code>{format!("/api/v1/devices/{device_id}/health")}</code>
            " with this token as " <code>"Authorization: Bearer …"</code> "."
        </p>
        {fresh.map(|token| view! {
            <div class="flash flash-ok" role="status">
                <p>"New token (copy it now: it is not shown again):"</p>
                <p><code class="secret">{token}</code></p>
            </div>
        })}
        <TokenTable rows=tokens device=Some(device_id.clone())/>
        <ActionForm action=rotate>
            <input type="hidden" name="device_id" value=device_id.clone()/>
            <button type="submit" class="secondary">"Create a new token"</button>
            " "<small class="hint">"A new token revokes the current one."</small>
        </ActionForm>
    }
}
