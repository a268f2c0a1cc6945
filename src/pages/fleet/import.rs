//! The fleet import page (managers and admins): upload one FLEET_CSV.md file, see what it did.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::fleet::edit::take_import_report;
use crate::components::import_report::ReportView;
use crate::components::role_gate::refuse_below;
use crate::components::site_picker::{site_choices, SiteChoices, SiteInput};
use crate::components::table_box::TableBox;
use crate::model::fleet::csv_columns::{CHECKS_HEADER, DEVICES_HEADER, SITES_HEADER};
use crate::model::platform::import_report::ImportReport;
use crate::model::platform::user::Role;

#[component]
pub fn ImportPage() -> impl IntoView {
    let user = crate::components::me::me();
    let report_due = crate::components::url::use_done_is(&["1"]);
    let report = Resource::new(
        move || report_due.try_get().unwrap_or_default(),
        |due| async move {
            if due {
                take_import_report().await
            } else {
                Ok(None)
            }
        },
    );
    // Made here, outside the Suspense (see `site_choices`); asked for only once the user types.
    let sites = site_choices(String::new(), true);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Manager, user.await) {
                    return refused;
                }
                view! { <ImportForm report=report.await.ok().flatten() sites/> }.into_any()
            })}
        </Suspense>
    }
}

fn upload_error(code: &str) -> Option<&'static str> {
    match code {
        "nofile" => Some("Choose a file to import."),
        "nokind" => Some("Say which file this is (sites, devices or health checks)."),
        "toolarge" => Some("The file is too large for the page (32 MB at most); use `backroom import` instead."),
        "unreadable" => Some("The upload could not be read. Try again."),
        "failed" => Some("The database refused the import; nothing was written. It has been logged."),
        "badsite" => Some("The site for rows without one must be a site id (64 characters at most)."),
        _ => None,
    }
}

#[component]
fn ImportForm(report: Option<ImportReport>, sites: SiteChoices) -> impl IntoView {
    let params = use_query_map();
    let error = move || params.try_with(|p| p.get("error")).flatten().as_deref().and_then(upload_error);
    view! {
        <Title text="Import fleet files"/>
        <h1>"Import fleet files"</h1>
        <p>
            "Upload " <code>"sites.csv"</code> ", " <code>"devices.csv"</code> " or " <code>"health_checks.csv"</code>
            " in the format of the exports. Rows are matched by id: new ids are created, changed rows updated, "
            "identical rows skipped. A file lands whole or not at all, unless you choose to skip bad rows."
        </p>
        {move || error().map(|e| view! { <p class="flash flash-error" role="alert">{e}</p> })}
        {report.map(|r| view! { <ReportView report=r/> })}
        <form method="post" action="/import/upload" enctype="multipart/form-data" class="card stack">
            <label for="kind">"File"</label>
            <select id="kind" name="kind">
                <option value="sites.csv">"sites.csv"</option>
                <option value="devices.csv">"devices.csv"</option>
                <option value="health_checks.csv">"health_checks.csv"</option>
            </select>
            <label for="file">"CSV file"</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" required/>
            <label for="site">"Site for devices whose row names none (devices.csv; optional)"</label>
            <SiteInput id="site" name="site" value="" choices=sites described_by="site-hint"/>
            <small id="site-hint" class="hint">"Type a site id or name to choose. Rows that name a site keep theirs."</small>
            <label class="check"><input type="checkbox" name="skip_bad" value="1"/>" Import the good rows even if some are bad"</label>
            <button type="submit">"Import"</button>
        </form>
        <ExpectedColumns/>
    }
}

/// The columns each file must have, in order, and the rules a row must follow.
#[component]
fn ExpectedColumns() -> impl IntoView {
    let files = [
        ("sites.csv", &SITES_HEADER[..]),
        ("devices.csv", &DEVICES_HEADER[..]),
        ("health_checks.csv", &CHECKS_HEADER[..]),
    ];
    let rows = files
        .into_iter()
        .map(|(file, columns)| {
            let example = format!("/import/example/{file}");
            view! {
                <tr>
                    <th scope="row"><code>{file}</code></th>
                    <td class="csv-columns"><code>{columns.join(",")}</code></td>
                    <td><a rel="external" download="" href=example>{format!("Example {file}")}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>"Expected columns"</h2>
            <p class="muted">
                "UTF-8, comma-separated, one header row with exactly these columns in this order. "
                <code>"id"</code> " may be left empty: the row then updates the site or device with the same "
                <code>"site_id"</code> " or " <code>"device_id"</code> ", or adds a new one. " <code>"site"</code> " and "
                <code>"device"</code> " name another row by its key (" <code>"site-00042"</code> ", "
                <code>"pos-terminal-000042"</code> "); times are UTC, " <code>"2026-12-05T09:30:00Z"</code>
                "; " <code>"config"</code> " is a JSON object. An export of the same list imports back unchanged."
            </p>
            <TableBox label="Expected columns">
                    <thead><tr><th scope="col">"File"</th><th scope="col">"Columns"</th><th scope="col">"Example"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </TableBox>
        </section>
    }
}
