//! A new purchase order and the edit of one (managers and admins): number, vendor, tablet
//! type, and its lines (inventory item, name, quantity); blank lines are left out. Without
//! JavaScript, "more lines" is a link to a longer form.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::tablet_type_select::{TabletTypeSelect, TypeNames};
use crate::api::warehouse::purchase_orders::{get_purchase_order, CreatePurchaseOrder, EditPurchaseOrder};
use crate::api::warehouse::reference::list_reference_names;
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::role_gate::RoleGate;
use crate::error::AppError;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_form::MAX_NUMBER_CHARS;
use crate::model::warehouse::po_rules::PoStatus;
use crate::model::warehouse::po_views::PoDetail;
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
                <LineRows count=lines initial=Vec::new() error/>
                <p><a href=more.get_value()>"More lines"</a>" (before you type: the longer form starts blank)"</p>
                <div class="save-buttons"><button type="submit">"Create purchase order"</button>" "<a href="/pos">"Cancel"</a></div>
            </ActionForm>
        </KeepTyped>
    }
}

/// Editing a PO (managers and admins): its vendor, tablet type and lines, with five blank
/// lines to add more. A line left blank is removed; its number stays.
#[component]
pub fn EditPoPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.try_with(|p| p.get("number")).flatten().unwrap_or_default();
    // Both at the page's top, outside the gate's Suspense, so that a direct load hydrates.
    let po = Resource::new(number, get_purchase_order);
    let names = Resource::new(|| (), |_| list_reference_names(RefKind::TabletTypes.slug().to_string()));
    view! {
        <RoleGate min=Role::Manager>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match po.await {
                        Ok(po) => view! { <EditPo po names/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </RoleGate>
    }
}

#[component]
fn EditPo(po: PoDetail, names: TypeNames) -> impl IntoView {
    let action = ServerAction::<EditPurchaseOrder>::new();
    let error = use_form_error(action);
    let back = format!("/pos/{}", form_urlencoded::byte_serialize(po.number.as_bytes()).collect::<String>());
    let open = !po.closed && !matches!(po.status, PoStatus::Complete | PoStatus::Cancelled);
    let initial: Vec<[String; 3]> =
        po.lines.iter().map(|l| [l.inventory_item.clone(), l.name.clone(), l.counts.ordered.to_string()]).collect();
    let count = initial.len() + 5;
    // Kept for the form's body, which the kept-input wrapper may draw more than once.
    let initial = StoredValue::new(initial);
    let number = StoredValue::new(po.number.clone());
    let seen = StoredValue::new(po.edit_token.clone());
    let vendor = StoredValue::new(po.vendor.clone());
    let tablet_type = StoredValue::new(po.tablet_type.clone().unwrap_or_default());
    let cancel = StoredValue::new(back.clone());
    let form = open.then(|| view! {
        <FormError error/>
        <KeepTyped fn_path={<EditPurchaseOrder as ServerFn>::PATH}>
            <ActionForm action attr:class="card">
                <input type="hidden" name="form[number]" value=number.get_value()/>
                <input type="hidden" name="form[seen]" value=seen.get_value()/>
                <div class="form-grid">
                    <TextField label="Vendor" name="form[vendor]" field="vendor" value=vendor.get_value() error/>
                    <TabletTypeSelect names name="form[tablet_type]"
                        current=kept_value("form[tablet_type]", tablet_type.get_value()) blank="None" error/>
                </div>
                <LineRows count initial=initial.get_value() error/>
                <p class="hint">"Empty a line's fields to remove it. A line with counted tablets keeps its item."</p>
                <div class="save-buttons"><button type="submit">"Save"</button>" "<a href=cancel.get_value()>"Cancel"</a></div>
            </ActionForm>
        </KeepTyped>
    });
    view! {
        <Title text=format!("Edit {}", po.number)/>
        <p class="crumbs"><a href="/pos">"Purchase orders"</a>" / "<a href=back.clone()>{po.number.clone()}</a>" / edit"</p>
        <h1>{format!("Edit {}", po.number)}</h1>
        {(!open).then(|| view! { <p class="flash flash-warn">"This PO is closed, complete or cancelled: it is not edited any more."</p> })}
        {form}
    }
}

/// `count` rows of line inputs, the first filled with `initial` (item, name, quantity), each
/// with its fields' messages.
#[component]
fn LineRows(count: usize, initial: Vec<[String; 3]>, error: Signal<Option<AppError>>) -> impl IntoView {
    let rows = (0..count)
        .map(|i| {
            let filled = initial.get(i).cloned().unwrap_or_default();
            let cell = move |column: usize, field: &'static str, label: &'static str, size: &'static str| {
                let name = format!("form[lines][{i}][{field}]");
                let key = format!("line-{}-{field}", i + 1);
                let id = format!("f-{key}");
                let value = kept_value(&name, filled[column].clone());
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
                    {cell(0, "inventory_item", "Inventory item", "16")}
                    {cell(1, "name", "Name", "24")}
                    {cell(2, "quantity", "Quantity", "10")}
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
