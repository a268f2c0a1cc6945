//! The health page (admins): overall HEALTHY / WARNING / CRITICAL, every check, table sizes.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::health::get_health;
use crate::components::error_view::ErrorView;
use crate::components::role_gate::refuse_below;
use crate::components::table_box::TableBox;
use crate::components::time::time_text;
use crate::model::admin::backup::human_bytes;
use crate::model::admin::health::{HealthReport, Level};
use crate::model::platform::user::Role;

#[component]
pub fn HealthPage() -> impl IntoView {
    let me = crate::components::me::me();
    let report = Resource::new(|| (), |_| get_health());
    view! {
        <Title text="Health"/>
        <h1>"Health"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Checking…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                match report.await {
                    Ok(report) => view! { <HealthView report/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn badge(level: Level) -> impl IntoView {
    let class = match level {
        Level::Healthy => "badge badge-ok",
        Level::Warning => "badge badge-warn",
        Level::Critical => "badge badge-bad",
    };
    view! { <span class=class>{level.as_str()}</span> }
}

#[component]
fn HealthView(report: HealthReport) -> impl IntoView {
    let checks = report
        .checks
        .into_iter()
        .map(|c| view! { <tr><th scope="row">{c.name}</th><td>{badge(c.level)}</td><td>{c.detail}</td></tr> })
        .collect_view();
    let tables = report
        .tables
        .into_iter()
        .map(|t| {
            let size = t.bytes.map(human_bytes).unwrap_or_else(|| "—".to_string());
            view! { <tr><td>{t.name}</td><td class="num">{t.rows}</td><td class="num">{size}</td></tr> }
        })
        .collect_view();
    view! {
        <p class="overall">"Overall: " {badge(report.overall)}</p>
        <p class="muted">{format!("Engine {}; checked ", report.engine)}{time_text(&report.generated_at)}"."</p>
        <TableBox label="Checks">
            <thead><tr><th scope="col">"Check"</th><th scope="col">"Level"</th><th scope="col">"Detail"</th></tr></thead>
            <tbody>{checks}</tbody>
        </TableBox>
        <h2>"Tables"</h2>
        <TableBox label="Tables">
            <thead><tr><th scope="col">"Table"</th><th scope="col" class="num">"Rows"</th><th scope="col" class="num">"Size"</th></tr></thead>
            <tbody>{tables}</tbody>
        </TableBox>
    }
}
