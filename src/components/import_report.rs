//! What an import did, above the page it was uploaded from: rows created, updated and skipped,
//! and the line of each bad row.
use leptos::prelude::*;

use crate::components::pager::thousands;
use crate::components::table_box::TableBox;
use crate::model::platform::import_report::ImportReport;

#[component]
pub fn ReportView(report: ImportReport) -> impl IntoView {
    let (class, headline) = if report.applied {
        ("flash flash-ok", format!("{} imported.", report.kind))
    } else {
        ("flash flash-error", format!("{} was not imported: nothing was written.", report.kind))
    };
    let errors = report
        .errors
        .iter()
        .take(200)
        .map(|e| view! { <tr><td class="num">{e.line}</td><td>{e.message.clone()}</td></tr> })
        .collect_view();
    let has_errors = !report.errors.is_empty();
    view! {
        <section class=class role="status">
            <p><strong>{headline}</strong></p>
            <p>
                {thousands(report.rows)}" rows: "{thousands(report.created)}" created, "{thousands(report.updated)}
                " updated, "{thousands(report.skipped)}" skipped, "{report.errors.len()}" with errors."
            </p>
        </section>
        {has_errors.then(|| view! {
            <TableBox label="Import summary" compact=true>
                <caption>"Rows with errors (the header is line 1)"</caption>
                <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Problem"</th></tr></thead>
                <tbody>{errors}</tbody>
            </TableBox>
        })}
    }
}
