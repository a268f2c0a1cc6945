//! A kind's reference rows: search, in use or archived, CSV export; all state in the URL.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ReferenceTabs;
use crate::api::warehouse::reference::{list_reference_rows, take_reference_import_report};
use crate::components::error_view::ErrorView;
use crate::components::import_report::ReportView;
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::components::url::href;
use crate::components::words::{count_of, grouped};
use crate::error::AppError;
use crate::model::platform::user::Role;
use crate::model::warehouse::ref_field::RefField;
use crate::model::warehouse::reference::{RefKind, RefList, LIST_LIMIT};

/// A cell's text: whole numbers with thousands separators.
fn shown_value(field: RefField, value: &str) -> String {
    match value.parse::<i64>() {
        Ok(n) if field.numeric() => grouped(n),
        _ => value.to_string(),
    }
}

#[component]
pub fn ReferenceListPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // `/warehouse` itself shows the tablet types.
    let slug = Memo::new(move |_| {
        params.try_with(|p| p.get("kind")).flatten().unwrap_or_else(|| RefKind::TabletTypes.slug().to_string())
    });
    let search = Memo::new(move |_| query.try_with(|p| p.get("q")).flatten().unwrap_or_default());
    let archived = Memo::new(move |_| query.try_with(|p| p.get("archived")).flatten().as_deref() == Some("1"));
    let rows = Resource::new(
        move || {
            (
                slug.try_get().unwrap_or_default(),
                search.try_get().unwrap_or_default(),
                archived.try_get().unwrap_or_default(),
            )
        },
        |(kind, q, archived)| list_reference_rows(kind, q, archived),
    );
    let user = crate::components::me::me();
    let imported = Memo::new(move |_| query.try_with(|p| p.get("imported")).flatten().as_deref() == Some("1"));
    let report = Resource::new(
        move || imported.try_get().unwrap_or_default(),
        |due| async move {
            if due {
                take_reference_import_report().await.ok().flatten()
            } else {
                None
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { report.await.map(|report| view! { <ReportView report/> }) })}
        </Suspense>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await;
                crate::components::time::provide_zone(&user);
                let manager = matches!(&user, Ok(Some(u)) if u.role >= Role::Manager);
                let kind = RefKind::parse(&slug.get_untracked());
                match (kind, rows.await) {
                    (Some(kind), Ok(list)) => {
                        let (q, archived) = (search.get_untracked(), archived.get_untracked());
                        view! { <ReferenceList kind list q archived manager/> }.into_any()
                    }
                    (_, Err(error)) => view! { <ErrorView error/> }.into_any(),
                    (None, Ok(_)) => view! { <ErrorView error=AppError::NotFound/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReferenceList(kind: RefKind, list: RefList, q: String, archived: bool, manager: bool) -> impl IntoView {
    let heading =
        if archived { format!("{} ({})", kind.title(), kind.archived_word()) } else { kind.title().to_string() };
    let new = format!("{}/new", kind.path());
    let mut keep = Vec::new();
    if !q.is_empty() {
        keep.push(("q", q.clone()));
    }
    if archived {
        keep.push(("archived", "1".to_string()));
    }
    let export = href(&format!("{}/export", kind.path()), &keep);
    let shown = count_of(list.rows.len() as i64, kind.singular(), kind.plural());
    let empty = list.rows.is_empty();
    let more = list.more.then(|| {
        view! { <p class="muted">{format!("Showing the first {LIST_LIMIT}; search to narrow the list.")}</p> }
    });
    view! {
        <Title text=kind.title()/>
        <ReferenceTabs current=kind/>
        <div class="page-head">
            <h1>{heading}</h1>
            {manager.then(|| view! { <a class="button-link" href=new>{format!("New {}", kind.singular())}</a> })}
        </div>
        <SearchForm kind q=q.clone() archived/>
        <ReferenceTable kind list/>
        {empty.then(|| {
            let text = if q.is_empty() {
                format!("No {} {} yet.", if archived { kind.archived_word() } else { "" }, kind.plural())
            } else {
                format!("No {} matches “{q}”.", kind.singular())
            };
            view! { <p class="empty">{text.replace("  ", " ")}</p> }
        })}
        {more}
        <p class="muted">{shown}" · "<a rel="external" download="" href=export>"Export as CSV"</a></p>
        {manager.then(|| view! { <ImportForm kind/> })}
    }
}

/// Why an upload did not run: a fixed code in the URL, never the user's input.
fn upload_error(code: &str) -> Option<&'static str> {
    match code {
        "nofile" => Some("Choose a file to import."),
        "toolarge" => Some("The file is too large to upload."),
        "unreadable" => Some("The upload could not be read. Try again."),
        "failed" => Some("The database refused the import; nothing was written. It has been logged."),
        _ => None,
    }
}

/// A CSV file of this kind, in the columns the export writes.
#[component]
fn ImportForm(kind: RefKind) -> impl IntoView {
    let query = use_query_map();
    let error = move || query.try_with(|p| p.get("import_error")).flatten().as_deref().and_then(upload_error);
    let action = format!("{}/import", kind.path());
    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">"Import "{kind.plural()}</h2>
            <p>
                "A CSV file with the columns " <code>{kind.csv_header().join(",")}</code>
                ", as the export writes them. A row whose name exists updates that "{kind.singular()}
                "; the others are added. The file lands whole or not at all, unless you choose to skip bad rows."
            </p>
            {move || error().map(|e| view! { <p class="flash flash-error" role="alert">{e}</p> })}
            <form method="post" action=action enctype="multipart/form-data" class="stack">
                <label for="import-file">"CSV file"</label>
                <input id="import-file" name="file" type="file" accept=".csv,text/csv" required/>
                <label class="check"><input type="checkbox" name="skip_bad" value="1"/>" Import the good rows even if some are bad"</label>
                <button type="submit">"Import"</button>
            </form>
        </section>
    }
}

#[component]
fn SearchForm(kind: RefKind, q: String, archived: bool) -> impl IntoView {
    let (other, other_label) = if archived {
        (kind.path().to_string(), format!("Show {} in use", kind.plural()))
    } else {
        (format!("{}?archived=1", kind.path()), format!("Show {} {}", kind.archived_word(), kind.plural()))
    };
    view! {
        <form method="get" action=kind.path() class="filters" role="search">
            {archived.then(|| view! { <input type="hidden" name="archived" value="1"/> })}
            <label for="q">"Search"</label>
            <input id="q" name="q" type="search" value=q placeholder="name" maxlength="100"/>
            <button type="submit">"Search"</button>
            <a href=kind.path() class="secondary-link">"Clear"</a>
            <a href=other class="secondary-link">{other_label}</a>
        </form>
    }
}

#[component]
fn ReferenceTable(kind: RefKind, list: RefList) -> impl IntoView {
    let fields = kind.fields();
    let head = fields
        .iter()
        .map(|f| view! { <th scope="col" class=f.numeric().then_some("num")>{f.label()}</th> })
        .collect_view();
    let rows = list
        .rows
        .into_iter()
        .map(|row| {
            let link = format!("{}/{}", kind.path(), row.id);
            let cells = fields
                .iter()
                .map(|f| view! { <td class=f.numeric().then_some("num")>{shown_value(*f, row.values.get(*f))}</td> })
                .collect_view();
            view! {
                <tr>
                    <td><a href=link>{row.values.name.clone()}</a></td>
                    {cells}
                    <td><Time at=row.updated_at/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableBox label=kind.title()>
            <thead>
                <tr><th scope="col">"Name"</th>{head}<th scope="col">"Changed"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
    }
}
