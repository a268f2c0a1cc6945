//! Buttons that change a site or a device (managers and admins).
use leptos::form::ActionForm;
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::api::fleet::devices::RotateDeviceToken;
use crate::api::fleet::edit::{PurgeSite, SetDeviceArchived, SetSiteArchived};
use crate::components::confirm::{confirm_href, use_confirming, ConfirmStep};
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::KeepTyped;
use crate::components::refresh::refresh_after;
use crate::components::token_table::TokenTable;
use crate::components::words::count_of;
use crate::model::admin::accounts::TokenRow;

#[component]
pub fn SiteActions(site_id: String, archived: bool, devices: i64) -> impl IntoView {
    let archive = ServerAction::<SetSiteArchived>::new();
    let purge = ServerAction::<PurgeSite>::new();
    refresh_after(archive);
    let purge_error = use_form_error(purge);
    let page = format!("/sites/{site_id}");
    let new_device = format!("/devices/new?site={site_id}");
    let edit = format!("{page}/edit");
    let purge_key = StoredValue::new(site_id.clone());
    let form = move |archive_it: bool, label: &'static str, class: &'static str| {
        let key = site_id.clone();
        view! {
            <ActionForm action=archive>
                <input type="hidden" name="site_id" value=key/>
                <input type="hidden" name="archive" value=archive_it.to_string()/>
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    // Archiving hides a site's devices too, so it is asked first; restoring is not.
    let question = format!("Archive {}?", page.trim_start_matches("/sites/"));
    let detail = format!(
        "The site and its {} leave the active lists, and its devices are set offline. You can restore it from the archived sites.",
        count_of(devices, "device", "devices")
    );
    let step = (!archived).then(|| ArchiveStep { page: page.clone(), question, detail });
    view! {
        <div class="actions">
            <a class="button-link" href=edit>"Edit site"</a>
            <a class="button-link" href=new_device>"Add a device"</a>
            {archived.then(|| form.clone()(false, "Restore site", "secondary"))}
            {(!archived).then(|| view! { <a class="button-link" href=confirm_href(&page, "archive")>"Archive site"</a> })}
        </div>
        {step.map(|s| s.view(move || form(true, "Yes, archive the site", "danger")))}
        <section class="danger-zone" aria-labelledby="purge-title">
            <h2 id="purge-title">"Purge this site"</h2>
            <p>"Deletes the site, its devices and their health history for good. An audit record remains."</p>
            <FormError error=purge_error/>
            <KeepTyped fn_path={<PurgeSite as ServerFn>::PATH}>
                <ActionForm action=purge attr:class="stack">
                    <input type="hidden" name="site_id" value=purge_key.get_value()/>
                    <TextField label="Type the site id to confirm" name="confirm" field="confirm" value=""
                        error=purge_error maxlength=64/>
                    <button type="submit" class="danger">"Purge site"</button>
                </ActionForm>
            </KeepTyped>
        </section>
    }
}

#[component]
pub fn DeviceActions(device_id: String, active: bool) -> impl IntoView {
    let archive = ServerAction::<SetDeviceArchived>::new();
    refresh_after(archive);
    let page = format!("/devices/{device_id}");
    let edit = format!("{page}/edit");
    let question = format!("Archive {device_id}?");
    let form = move |archive_it: bool, label: &'static str, class: &'static str| {
        let key = device_id.clone();
        view! {
            <ActionForm action=archive>
                <input type="hidden" name="device_id" value=key/>
                <input type="hidden" name="archive" value=archive_it.to_string()/>
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    let detail =
        "It leaves the active lists and is set offline; its health history is kept. You can restore it from its page.";
    let step = active.then(|| ArchiveStep { page: page.clone(), question, detail: detail.to_string() });
    view! {
        <div class="actions">
            <a class="button-link" href=edit>"Edit or move device"</a>
            {(!active).then(|| form.clone()(false, "Restore device", "secondary"))}
            {active.then(|| view! { <a class="button-link" href=confirm_href(&page, "archive")>"Archive device"</a> })}
        </div>
        {step.map(|s| s.view(move || form(true, "Yes, archive the device", "danger")))}
    }
}

/// The "archive?" question of a page, shown while its URL asks to confirm.
struct ArchiveStep {
    page: String,
    question: String,
    detail: String,
}

impl ArchiveStep {
    fn view<V: IntoView + 'static>(self, form: impl Fn() -> V + Send + Sync + 'static) -> impl IntoView {
        let confirming = use_confirming("archive");
        let ArchiveStep { page, question, detail } = self;
        let form = std::sync::Arc::new(form);
        move || {
            confirming.get().then(|| {
                let form = form.clone();
                view! {
                    <ConfirmStep what="archive" question=question.clone() detail=detail.clone() page=page.clone()>
                        {form()}
                    </ConfirmStep>
                }
            })
        }
    }
}

/// The device's API tokens: the live ones (revoke any) and make a new one (revoking the old);
/// the page shows the new one once, at its top.
#[component]
pub fn TokenSection(device_id: String, tokens: Vec<TokenRow>) -> impl IntoView {
    let rotate = ServerAction::<RotateDeviceToken>::new();
    refresh_after(rotate);
    view! {
        <h2>"API token"</h2>
        <p>
            "The device sends its health checks to " <code>{format!("/api/v1/devices/{device_id}/health")}</code>
            " with this token as " <code>"Authorization: Bearer …"</code> "."
        </p>
        <TokenTable rows=tokens device=Some(device_id.clone())/>
        <ActionForm action=rotate>
            <input type="hidden" name="device_id" value=device_id.clone()/>
            <button type="submit" class="secondary">"Create a new token"</button>
            " "<small class="hint">"A new token revokes the current one."</small>
        </ActionForm>
    }
}
