//! A reference row's page (its form for managers, its values for everyone else, archive and
//! restore) and a new row's form.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::api::warehouse::reference::{
    get_reference_row, list_reference_names, CreateReferenceRow, SetReferenceArchived, UpdateReferenceRow,
};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::flash::DoneFlash;
use crate::components::form::{use_form_error, TextField};
use crate::components::history::HistoryLink;
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::refresh::{data_version, refresh_after};
use crate::components::role_gate::RoleGate;
use crate::components::save_buttons::{AddedFlash, FreshAfterAdd, SaveButtons};
use crate::components::time::Time;
use crate::error::AppError;
use crate::model::platform::save_then::SaveThen;
use crate::model::platform::user::Role;
use crate::model::warehouse::ref_field::RefField;
use crate::model::warehouse::reference::{RefForm, RefKind, RefRow, MAX_NAME_CHARS};

/// The kind the URL names.
fn use_kind() -> Memo<Option<RefKind>> {
    let params = use_params_map();
    Memo::new(move |_| params.try_with(|p| p.get("kind")).flatten().and_then(|k| RefKind::parse(&k)))
}

/// The names the kind's picker offers (a product's tablet types, a tablet type's categories).
#[derive(Clone, Copy)]
struct PickerNames(Resource<Result<Vec<String>, AppError>>);

/// Loads the picker's names, for the page's fields. Made at the top of the page: a resource
/// made inside a Suspense (the role gate's, the row's) is not matched up with the server's when
/// the page hydrates, and a direct load of the page panicked.
fn provide_picker_names(kind: Memo<Option<RefKind>>) {
    let names = Resource::new(
        move || kind.try_get().flatten().and_then(|k| k.fields().iter().find_map(|f| RefKind::named_by(*f))),
        |named| async move {
            match named {
                Some(named) => list_reference_names(named.slug().to_string()).await,
                None => Ok(Vec::new()),
            }
        },
    );
    provide_context(PickerNames(names));
}

#[component]
pub fn NewReferencePage() -> impl IntoView {
    provide_picker_names(use_kind());
    view! { <RoleGate min=Role::Manager><NewReference/></RoleGate> }
}

#[component]
fn NewReference() -> impl IntoView {
    let Some(kind) = use_kind().get_untracked() else {
        return view! { <ErrorView error=AppError::NotFound/> }.into_any();
    };
    let action = ServerAction::<CreateReferenceRow>::new();
    let error = use_form_error(action);
    view! {
        <Title text=format!("New {}", kind.singular())/>
        <p class="crumbs"><a href=kind.path()>{kind.title()}</a>" / new"</p>
        <h1>"New "{kind.singular()}</h1>
        <AddedFlash what=kind.noun() collection=kind.path()/>
        <FormError error/>
        <FreshAfterAdd>
            <KeepTyped fn_path={<CreateReferenceRow as ServerFn>::PATH}>
                <ActionForm action attr:class="card">
                    <input type="hidden" name="kind" value=kind.slug()/>
                    <ReferenceFields kind values=RefForm::default() error/>
                    <SaveButtons label="Create" variants=&[SaveThen::AddAnother] cancel=kind.path().to_string()/>
                </ActionForm>
            </KeepTyped>
        </FreshAfterAdd>
    }
    .into_any()
}

#[component]
pub fn ReferencePage() -> impl IntoView {
    let params = use_params_map();
    let kind = use_kind();
    provide_picker_names(kind);
    let id = Memo::new(move |_| params.try_with(|p| p.get("id")).flatten().and_then(|i| i.parse::<i64>().ok()));
    let row = Resource::new(
        move || (kind.try_get().flatten(), id.try_get().flatten(), data_version()),
        |(kind, id, _)| async move {
            match (kind, id) {
                (Some(kind), Some(id)) => get_reference_row(kind.slug().to_string(), id).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    let user = crate::components::me::me();
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let manager = matches!(&user, Ok(Some(u)) if u.role >= Role::Manager);
                match (kind.get_untracked(), row.await) {
                    (Some(kind), Ok(row)) => view! { <ReferenceView kind row manager/> }.into_any(),
                    (_, Err(error)) => view! { <ErrorView error/> }.into_any(),
                    (None, Ok(_)) => view! { <ErrorView error=AppError::NotFound/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReferenceView(kind: RefKind, row: RefRow, manager: bool) -> impl IntoView {
    let name = row.values.name.clone();
    let notice = format!(
        "This {} is {}: pickers no longer offer it, and rows that name it keep it.",
        kind.singular(),
        kind.archived_word()
    );
    view! {
        <Title text=name.clone()/>
        <p class="crumbs"><a href=kind.path()>{kind.title()}</a>" / "{name.clone()}</p>
        <h1>{name}</h1>
        <DoneFlash what=kind.noun()/>
        {row.archived.then(|| view! { <p class="flash flash-warn">{notice}</p> })}
        {if manager {
            view! { <ReferenceEditor kind row=row.clone()/> }.into_any()
        } else {
            view! { <ReferenceDetails kind row=row.clone()/> }.into_any()
        }}
        <p class="muted">"Changed "<Time at=row.updated_at/></p>
        <HistoryLink entity_type=kind.entity() entity_id=row.id.to_string()/>
    }
}

/// The row's values, read only.
#[component]
fn ReferenceDetails(kind: RefKind, row: RefRow) -> impl IntoView {
    let fields = kind
        .fields()
        .iter()
        .map(|f| view! { <dt>{f.label()}</dt><dd>{row.values.get(*f).to_string()}</dd> })
        .collect_view();
    view! { <dl class="details"><dt>"Name"</dt><dd>{row.values.name.clone()}</dd>{fields}</dl> }
}

#[component]
fn ReferenceEditor(kind: RefKind, row: RefRow) -> impl IntoView {
    let save = ServerAction::<UpdateReferenceRow>::new();
    let archive = ServerAction::<SetReferenceArchived>::new();
    refresh_after(archive);
    let error = use_form_error(save);
    let values = StoredValue::new(row.values.clone());
    let (verb_archive, verb_restore) = kind.archive_verbs();
    let (archive_it, label) = if row.archived { (false, verb_restore) } else { (true, verb_archive) };
    view! {
        <FormError error/>
        <KeepTyped fn_path={<UpdateReferenceRow as ServerFn>::PATH}>
            <ActionForm action=save attr:class="card">
                <input type="hidden" name="kind" value=kind.slug()/>
                <input type="hidden" name="id" value=row.id.to_string()/>
                <ReferenceFields kind values=values.get_value() error/>
                <SaveButtons label="Save" variants=&[] cancel=kind.path().to_string()/>
            </ActionForm>
        </KeepTyped>
        <div class="actions">
            <ActionForm action=archive>
                <input type="hidden" name="kind" value=kind.slug()/>
                <input type="hidden" name="id" value=row.id.to_string()/>
                <input type="hidden" name="archive" value=archive_it.to_string()/>
                <button type="submit" class="secondary">{format!("{label} this {}", kind.singular())}</button>
            </ActionForm>
        </div>
    }
}

/// The name and the kind's fields; a field that names another row is a picker of its names.
#[component]
fn ReferenceFields(kind: RefKind, values: RefForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let fields = kind
        .fields()
        .iter()
        .map(|f| {
            let value = values.get(*f).to_string();
            match RefKind::named_by(*f) {
                Some(_) => view! { <ReferencePicker field=*f value error/> }.into_any(),
                None => view! {
                    <TextField label=f.label() name=f.form_name() field=f.name() value error required=f.required()
                        hint=f.hint() maxlength=64/>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        <div class="form-grid">
            <TextField label="Name" name="form[name]" field="name" value=values.name.clone() error required=true
                maxlength=MAX_NAME_CHARS/>
            {fields}
        </div>
    }
}

/// A choice among the names of `named`'s rows in use; the current value stays a choice even
/// when its row has since been archived.
#[component]
fn ReferencePicker(field: RefField, value: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let names = expect_context::<PickerNames>().0;
    let value = kept_value(field.form_name(), value);
    let id = format!("f-{}", field.name());
    let described = format!("{id}-msg");
    let message = move || error.try_get().flatten().and_then(|e| e.field(field.name()));
    let (select_id, select_described) = (id.clone(), described.clone());
    view! {
        <div class="form-field">
            <label for=id>{field.label()}</label>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let (value, id, described) = (value.clone(), select_id.clone(), select_described.clone());
                    Suspend::new(async move {
                        let mut choices = names.await.unwrap_or_default();
                        if !value.is_empty() && !choices.iter().any(|n| n.eq_ignore_ascii_case(&value)) {
                            choices.insert(0, value.clone());
                        }
                        let blank = if field.required() { "Choose one" } else { "None" };
                        let options = std::iter::once(String::new())
                            .chain(choices)
                            .map(|name| {
                                let selected = name.eq_ignore_ascii_case(&value);
                                let text = if name.is_empty() { blank.to_string() } else { name.clone() };
                                view! { <option value=name selected=selected>{text}</option> }
                            })
                            .collect_view();
                        view! {
                            <select id=id name=field.form_name() required=field.required() aria-describedby=described
                                aria-invalid=move || message().is_some().to_string()>{options}</select>
                        }
                    })
                }}
            </Suspense>
            <p id=described class="field-error" role="alert">{message}</p>
        </div>
    }
}
