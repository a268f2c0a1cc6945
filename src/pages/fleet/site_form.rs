//! Creating and editing a site (managers and admins).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::fleet::edit::{CreateSite, UpdateSite};
use crate::api::fleet::lists::get_site;
use crate::components::error_view::{ErrorView, FormError};
use crate::components::flash::DoneFlash;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::KeepTyped;
use crate::components::role_gate::{refuse_below, RoleGate};
use crate::components::save_buttons::{AddedFlash, FreshAfterAdd, SaveButtons};
use crate::error::AppError;
use crate::model::fleet::fleet_forms::SiteForm;
use crate::model::fleet::sites::SiteDetail;
use crate::model::platform::save_then::SaveThen;
use crate::model::platform::user::Role;
use server_fn::ServerFn;

#[component]
pub fn NewSitePage() -> impl IntoView {
    view! { <RoleGate min=Role::Manager><NewSitePageInner/></RoleGate> }
}

#[component]
fn NewSitePageInner() -> impl IntoView {
    let action = ServerAction::<CreateSite>::new();
    let error = use_form_error(action);
    view! {
        <Title text="New site"/>
        <p class="crumbs"><a href="/sites">"Sites"</a>" / new"</p>
        <h1>"New site"</h1>
        <AddedFlash what="Site" collection="/sites"/>
        <FormError error/>
        <FreshAfterAdd>
            <KeepTyped fn_path={<CreateSite as ServerFn>::PATH}>
                <ActionForm action attr:class="card">
                    <SiteFields values=SiteForm::default() error/>
                    <SaveButtons label="Create site" variants=&[SaveThen::AddAnother, SaveThen::KeepEditing]/>
                </ActionForm>
            </KeepTyped>
        </FreshAfterAdd>
    }
}

#[component]
pub fn EditSitePage() -> impl IntoView {
    let params = use_params_map();
    let user = crate::components::me::me();
    let site = Resource::new(move || params.try_with(|p| p.get("site_id")).flatten().unwrap_or_default(), get_site);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Manager, user.await) {
                    return refused;
                }
                match site.await {
                    Ok(site) => view! { <SiteEditor site/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SiteEditor(site: SiteDetail) -> impl IntoView {
    let action = ServerAction::<UpdateSite>::new();
    let error = use_form_error(action);
    let back = format!("/sites/{}", site.site_id);
    // Copyable handles: the form is rendered again once a failed post's values are in.
    let (current, values, cancel) = (
        StoredValue::new(site.site_id.clone()),
        StoredValue::new(SiteForm::from(&site)),
        StoredValue::new(back.clone()),
    );
    view! {
        <Title text=format!("Edit {}", site.name)/>
        <p class="crumbs"><a href="/sites">"Sites"</a>" / "<a href=back.clone()>{site.site_id.clone()}</a>" / edit"</p>
        <h1>"Edit "{site.name.clone()}</h1>
        <DoneFlash what="Site"/>
        <FormError error/>
        <KeepTyped fn_path={<UpdateSite as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <input type="hidden" name="current" value=current.get_value()/>
                <SiteFields values=values.get_value() error/>
                <SaveButtons label="Save site" variants=&[SaveThen::KeepEditing] cancel=cancel.get_value()/>
            </ActionForm>
        </KeepTyped>
    }
}

#[component]
fn SiteFields(values: SiteForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let s = values;
    view! {
        <div class="form-grid">
            <TextField label="Site id" name="form[site_id]" field="site_id" value=s.site_id error required=true
                maxlength=64 hint="Letters, digits, '.', '_' and '-', e.g. site-00042"/>
            <TextField label="Name" name="form[name]" field="name" value=s.name error required=true/>
            <TextField label="Location" name="form[location]" field="location" value=s.location error/>
            <TextField label="Description" name="form[description]" field="description" value=s.description error
                maxlength=2000/>
            <TextField label="Latitude" name="form[latitude]" field="latitude" value=s.latitude error
                maxlength=32/>
            <TextField label="Longitude" name="form[longitude]" field="longitude" value=s.longitude error
                maxlength=32/>
        </div>
    }
}
