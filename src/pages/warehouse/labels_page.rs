//! A receive's labels, ready to print: one per bag with its name, tablet type, label count and
//! a QR code of its name. Two layouts by print CSS: an A4 sheet of 3 × 7 labels, or one label
//! per 4 × 6 in page for a label printer. The chrome around them does not print.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::warehouse::receiving::get_receive_labels;
use crate::components::error_view::ErrorView;
use crate::components::words::grouped;
use crate::model::warehouse::receive_views::{Label, LabelSheet};

#[component]
pub fn LabelsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.try_with(|p| p.get("id")).flatten().unwrap_or_default();
    let sheet = Resource::new(id, get_receive_labels);
    let query = use_query_map();
    let small = move || query.try_with(|q| q.get("layout")).flatten().as_deref() == Some("4x6");
    let user = crate::components::me::me();
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let _ = user.await;
                match sheet.await {
                    Ok(sheet) => view! { <Sheet sheet small=small()/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sheet(sheet: LabelSheet, small: bool) -> impl IntoView {
    let base = format!("/receives/{}/labels", sheet.receive_id);
    let here = |on: bool| on.then_some("page");
    let count = sheet.labels.len();
    let labels = sheet.labels.into_iter().map(|label| view! { <LabelView label/> }).collect_view();
    let title = format!("Labels of {}", sheet.receive_name);
    // Printing from a button needs the page's script; without it the browser's own Print does.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <Title text=title.clone()/>
        <div class="no-print">
            <p class="crumbs">
                <a href="/receives">"Receives"</a>" / "
                <a href=format!("/receives/{}", sheet.receive_id)>{sheet.receive_name.clone()}</a>" / labels"
            </p>
            <div class="page-head">
                <h1>{title}</h1>
                <Show when=move || hydrated.get() fallback=|| view! { <p class="hint">"Print with your browser (Ctrl+P)."</p> }>
                    <button type="button" on:click=print>"Print"</button>
                </Show>
            </div>
            <p>
                {format!("{count} labels, received {}. Layout: ", sheet.received_on)}
                <a href=base.clone() aria-current=here(!small)>"A4 sheet (3 × 7)"</a>" · "
                <a href=format!("{base}?layout=4x6") aria-current=here(small)>"4 × 6 in label printer"</a>
            </p>
        </div>
        <div class=if small { "labels labels-4x6" } else { "labels labels-a4" }>{labels}</div>
    }
}

#[component]
fn LabelView(label: Label) -> impl IntoView {
    let alt = format!("QR code of {}", label.name);
    view! {
        <article class="label">
            <div class="qr" role="img" aria-label=alt inner_html=label.qr_svg/>
            <div class="label-text">
                <p class="label-name">{label.name.clone()}</p>
                <p>{label.tablet_type.clone()}</p>
                <p class="label-count">{format!("{} tablets", grouped(label.label_count))}</p>
            </div>
        </article>
    }
}
