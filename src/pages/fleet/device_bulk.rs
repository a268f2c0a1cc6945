//! The devices table's action menu (archive, restore, move, maintenance) and the page that asks
//! before it runs on the ticked devices ("Archive 3 devices?").
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::fleet::bulk::BulkDevices;
use crate::components::bulk::{BulkBar, ConfirmButtons, NothingToDo, RowTick, TickedList};
use crate::components::error_view::FormError;
use crate::components::form::use_form_error;
use crate::components::role_gate::RoleGate;
use crate::model::fleet::bulk::{DeviceBulkRequest, DEVICE_BULK_CHOICES};
use crate::model::platform::bulk::list_return;
use crate::model::platform::user::Role;

/// The id of the menu's form, which the row checkboxes name.
pub const BULK_FORM: &str = "bulk-devices";

/// The action menu; `back` is the list's query string, to come back to the same view.
#[component]
pub fn DeviceBulkBar(back: String) -> impl IntoView {
    view! {
        <BulkBar form_id=BULK_FORM confirm="/devices/bulk" what="devices" choices=&DEVICE_BULK_CHOICES back>
            <label for="bulk-site">"Site (for a move)"</label>
            <input id="bulk-site" name="site" size="12" maxlength="64" placeholder="site-00042"/>
        </BulkBar>
    }
}

/// The checkbox of one row, in the menu's form.
#[component]
pub fn DeviceTick(device_id: String) -> impl IntoView {
    view! { <RowTick form_id=BULK_FORM name="device" value=device_id.clone() label=device_id/> }
}

#[component]
pub fn DeviceBulkPage() -> impl IntoView {
    view! { <RoleGate min=Role::Manager><Confirmation/></RoleGate> }
}

#[component]
fn Confirmation() -> impl IntoView {
    let params = use_query_map();
    let (asked, back) = params.with_untracked(|p| {
        let devices = p.get_all("device").unwrap_or_default();
        let asked = DeviceBulkRequest::parse(
            &p.get("action").unwrap_or_default(),
            &p.get("site").unwrap_or_default(),
            &devices,
        );
        (asked, p.get("back").unwrap_or_default())
    });
    let list = list_return("/devices", &back, &[]);
    match asked {
        Ok(request) => view! { <Ask request back list/> }.into_any(),
        Err(errors) => view! { <NothingToDo errors list what="devices"/> }.into_any(),
    }
}

#[component]
fn Ask(request: DeviceBulkRequest, back: String, list: String) -> impl IntoView {
    let action = ServerAction::<BulkDevices>::new();
    let error = use_form_error(action);
    let (menu_value, site) = request.form_values();
    let hidden_ids = request
        .device_ids
        .iter()
        .enumerate()
        .map(|(i, key)| view! { <input type="hidden" name=format!("device_ids[{i}]") value=key.clone()/> })
        .collect_view();
    let named = request.device_ids.iter().map(|key| (format!("/devices/{key}"), key.clone())).collect();
    view! {
        <Title text=request.question()/>
        <p class="crumbs"><a href=list.clone()>"Devices"</a>" / with the ticked devices"</p>
        <h1>{request.question()}</h1>
        <FormError error/>
        <TickedList items=named/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="action" value=menu_value/>
            <input type="hidden" name="site" value=site/>
            <input type="hidden" name="back" value=back/>
            {hidden_ids}
            <ConfirmButtons label=request.confirm_label() list/>
        </ActionForm>
    }
}
