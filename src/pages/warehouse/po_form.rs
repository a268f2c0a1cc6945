//! A new purchase order (managers and admins): number, vendor, tablet type, and its lines
//! (inventory item, name, quantity); blank lines are left out. Without JavaScript, "more lines"
//! is a link to a longer form.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::tablet_type_select::{TabletTypeSelect, TypeNames};
use crate::api::warehouse::purchase_orders::CreatePurchaseOrder;
use crate::api::warehouse::reference::list_reference_names;
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::role_gate::RoleGate;
use crate::error::AppError;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_form::MAX_NUMBER_CHARS;
use crate::model::warehouse::reference::RefKind;

/// Lines a new form offers, and the most a longer one does.
const FIRST_LINES: usize = 5;
const MOST_LINES: usize = 50;

#[component]
pub fn NewPoPage() -> impl IntoView {
    // Made here, outside the gate's Suspense: a resource made inside it is not matched up with
    // the server's when the page hydrates (a direct load of /pos/new panicked).
    let names = Resource::new(|| (), |_| list_reference_names(RefKind::TabletTypes.slug().to_string()));
    view! { <RoleGate min=Role::Manager><NewPo names/></RoleGate> }
}

#[component]
fn NewPo(names: TypeNames) -> impl IntoView {
    let query = use_query_map();
    let lines = query
        .try_with_untracked(|p| p.get("lines").and_then(|n| n.parse::<usize>().ok()))
        .flatten()
        .unwrap_or(FIRST_LINES)
        .clamp(1, MOST_LINES);
    let action = ServerAction::<CreatePurchaseOrder>::new();
    let error = use_form_error(action);
    let more = StoredValue::new(format!("/pos/new?lines={}", (lines + 10).min(MOST_LINES)));
    view! {
        <Title text="New purchase order"/>
        <p class="crumbs"><a href="/pos">"Purchase orders"</a>" / new"</p>
        <h1>"New purchase order"</h1>
        <FormError error/>
        <KeepTyped fn_path={<CreatePurchaseOrder as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <div class="form-grid">
                    <TextField label="PO number" name="form[number]" field="number" value="" error required=true
                        maxlength=MAX_NUMBER_CHARS hint="Letters, digits, '.', '_' and '-', e.g. PO-2026-0142"/>
                    <TextField label="Vendor" name="form[vendor]" field="vendor" value="" error/>
                    <TabletTypeSelect names name="form[tablet_type]" current=kept_value("form[tablet_type]", String::new())
                        blank="None" error/>
                </div>
                <LineRows count=lines error/>
                <p><a href=more.get_value()>"More lines"</a>" (before you type: the longer form starts blank)"</p>
                <div class="save-buttons"><button type="submit">"Create purchase order"</button>" "<a href="/pos">"Cancel"</a></div>
            </ActionForm>
        </KeepTyped>
    }
}

/// `count` rows of line inputs, each with its fields' messages.
#[component]
fn LineRows(count: usize, error: Signal<Option<AppError>>) -> impl IntoView {
    let rows = (0..count)
        .map(|i| {
            let cell = move |field: &'static str, label: &'static str, size: &'static str| {
                let name = format!("form[lines][{i}][{field}]");
                let key = format!("line-{}-{field}", i + 1);
                let id = format!("f-{key}");
                let value = kept_value(&name, String::new());
                let aria = format!("{label}, line {}", i + 1);
                let message = Signal::derive(move || error.try_get().flatten().and_then(|e| e.field(&key)));
                view! {
                    <td>
                        <input id=id name=name value=value size=size maxlength="200" aria-label=aria
                            aria-invalid=move || message.get().is_some().to_string()/>
                        <span class="field-error" role="alert">{message}</span>
                    </td>
                }
            };
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    {cell("inventory_item", "Inventory item", "16")}
                    {cell("name", "Name", "24")}
                    {cell("quantity", "Quantity", "10")}
                </tr>
            }
        })
        .collect_view();
    let lines_message = move || error.try_get().flatten().and_then(|e| e.field("lines"));
    view! {
        <h2>"Lines"</h2>
        <p class="field-error" role="alert" id="f-lines">{lines_message}</p>
        <table class="table compact">
            <thead>
                <tr>
                    <th scope="col" class="num">"#"</th>
                    <th scope="col">"Inventory item"</th>
                    <th scope="col">"Name (empty: the tablet type's)"</th>
                    <th scope="col">"Quantity"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
