//! Creating, editing and moving a device (managers and admins).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::fleet::devices::get_device;
use crate::api::fleet::edit::{CreateDevice, UpdateDevice};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::flash::DoneFlash;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::role_gate::{refuse_below, RoleGate};
use crate::components::save_buttons::{AddedFlash, FreshAfterAdd, SaveButtons};
use crate::components::site_picker::{site_choices, SiteChoices, SiteInput};
use crate::error::AppError;
use crate::model::fleet::device::DeviceDetail;
use crate::model::fleet::fleet_forms::DeviceForm;
use crate::model::fleet::sites::DEVICE_TYPES;
use crate::model::platform::save_then::SaveThen;
use crate::model::platform::user::Role;
use server_fn::ServerFn;

#[component]
pub fn NewDevicePage() -> impl IntoView {
    view! { <RoleGate min=Role::Manager><NewDevicePageInner/></RoleGate> }
}

#[component]
fn NewDevicePageInner() -> impl IntoView {
    let action = ServerAction::<CreateDevice>::new();
    let error = use_form_error(action);
    let params = use_query_map();
    let site = params.try_with_untracked(|p| p.get("site")).flatten().unwrap_or_default();
    let choices = site_choices(site.clone(), false);
    // The next device goes to the same site: "Save and add another" passes it on.
    let values = move || {
        let site = params.try_with_untracked(|p| p.get("site")).flatten().unwrap_or_default();
        DeviceForm { site, device_type: "pos_terminal".into(), ..Default::default() }
    };
    view! {
        <Title text="New device"/>
        <p class="crumbs"><a href="/devices">"Devices"</a>" / new"</p>
        <h1>"New device"</h1>
        <AddedFlash what="Device" collection="/devices"/>
        <FormError error/>
        <FreshAfterAdd>
            <KeepTyped fn_path={<CreateDevice as ServerFn>::PATH}>
                <ActionForm action attr:class="card">
                    <DeviceFields values=values() error choices/>
                    <SaveButtons label="Create device" variants=&[SaveThen::AddAnother, SaveThen::KeepEditing]/>
                </ActionForm>
            </KeepTyped>
        </FreshAfterAdd>
    }
}

#[component]
pub fn EditDevicePage() -> impl IntoView {
    let params = use_params_map();
    let user = crate::components::me::me();
    let device =
        Resource::new(move || params.try_with(|p| p.get("device_id")).flatten().unwrap_or_default(), get_device);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Manager, user.await) {
                    return refused;
                }
                match device.await {
                    Ok(device) => view! { <DeviceEditor device/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeviceEditor(device: DeviceDetail) -> impl IntoView {
    let action = ServerAction::<UpdateDevice>::new();
    let error = use_form_error(action);
    let back = format!("/devices/{}", device.device_id);
    // Copyable handles: the form is rendered again once a failed post's values are in.
    let (current, values, cancel) = (
        StoredValue::new(device.device_id.clone()),
        StoredValue::new(DeviceForm::from(&device)),
        StoredValue::new(back.clone()),
    );
    let choices = site_choices(device.site.clone(), false);
    view! {
        <Title text=format!("Edit {}", device.name)/>
        <p class="crumbs">
            <a href="/devices">"Devices"</a>" / "<a href=back.clone()>{device.device_id.clone()}</a>" / edit"
        </p>
        <h1>"Edit "{device.name.clone()}</h1>
        <DoneFlash what="Device"/>
        <FormError error/>
        <KeepTyped fn_path={<UpdateDevice as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <input type="hidden" name="current" value=current.get_value()/>
                <DeviceFields values=values.get_value() error choices/>
                <SaveButtons label="Save device" variants=&[SaveThen::KeepEditing] cancel=cancel.get_value()/>
            </ActionForm>
        </KeepTyped>
    }
}

#[component]
fn DeviceFields(values: DeviceForm, error: Signal<Option<AppError>>, choices: SiteChoices) -> impl IntoView {
    let d = values;
    let type_message = move || error.try_get().flatten().and_then(|e| e.field("device_type"));
    let site_message = move || error.try_get().flatten().and_then(|e| e.field("site"));
    let site_invalid = Signal::derive(move || site_message().is_some());
    let device_type = kept_value("form[device_type]", d.device_type.clone());
    let types = DEVICE_TYPES
        .iter()
        .map(|t| view! { <option value=*t selected=*t == device_type>{t.replace('_', " ")}</option> })
        .collect_view();
    view! {
        <div class="form-grid">
            <TextField label="Device id" name="form[device_id]" field="device_id" value=d.device_id error required=true
                maxlength=64 hint="Letters, digits, '.', '_' and '-', e.g. pos-terminal-000042"/>
            <TextField label="Name" name="form[name]" field="name" value=d.name error required=true/>
            <div class="form-field">
                <label for="f-device_type">"Type"</label>
                <select id="f-device_type" name="form[device_type]">{types}</select>
                <p class="field-error" role="alert">{type_message}</p>
            </div>
            <div class="form-field">
                <label for="f-site">"Site id"</label>
                <SiteInput id="f-site" name="form[site]" value=d.site choices required=true invalid=site_invalid
                    described_by="f-site-msg"/>
                <small class="hint">"Type a site id or name to choose; changing it moves the device to that site"</small>
                <p id="f-site-msg" class="field-error" role="alert">{site_message}</p>
            </div>
            <TextField label="IP address" name="form[ip_address]" field="ip_address" value=d.ip_address error
                maxlength=64 hint="IPv4 or IPv6; optional"/>
            <TextField label="MAC address" name="form[mac_address]" field="mac_address" value=d.mac_address error
                maxlength=17 hint="xx:xx:xx:xx:xx:xx; optional"/>
            <TextField label="Firmware version" name="form[firmware_version]" field="firmware_version"
                value=d.firmware_version error maxlength=32/>
        </div>
    }
}
