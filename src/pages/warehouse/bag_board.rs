//! The bag board: every open bag (of a published receive whose PO still takes counts), its
//! running total against its label, the difference and the status. It reads itself again
//! whenever a count or a receive changes (the server's live feed, with JavaScript) or every 30 s
//! (a refresh without it).
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::warehouse::dashboard::get_bag_board;
use crate::components::error_view::ErrorView;
use crate::components::refresh::data_version;
use crate::components::table_box::TableBox;
use crate::components::words::grouped;
use crate::model::warehouse::dashboard::{BagBoard, OpenBag, BOARD_BAGS};
use crate::model::warehouse::submissions::BagStatus;

/// Without JavaScript the page reloads itself this often: a `<meta>` refresh inside
/// `<noscript>`, which a browser running scripts never parses as markup.
const NO_SCRIPT_REFRESH: &str = r#"<meta http-equiv="refresh" content="30">"#;

#[component]
pub fn BagBoardPage() -> impl IntoView {
    let board = Resource::new(data_version, |_| get_bag_board());
    view! {
        <Title text="Bag board"/>
        <noscript inner_html=NO_SCRIPT_REFRESH></noscript>
        <div class="page-head">
            <h1>"Bag board"</h1>
            <a class="secondary-link" href="/bags">"Refresh now"</a>
        </div>
        <p class="muted">"Every open bag (of a published receive whose PO still takes counts) against its label. \
            The board follows new counts as they are saved (every 30 s without JavaScript)."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <Board board/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// With JavaScript, the board reads itself again whenever the server's feed says a count or a
/// receive changed after `version`, the board's; each board drawn follows from its own.
#[cfg(feature = "hydrate")]
fn follow_live(version: i64) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let bumper = crate::components::refresh::data_bumper();
    let bump = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| bumper());
    let source = web_sys::EventSource::new(&format!("/bags/live?since={version}")).ok();
    if let Some(s) = &source {
        let _ = s.add_event_listener_with_callback("changed", bump.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page: both are dropped, the feed closed, when it goes.
    let kept = StoredValue::new_local((source, bump));
    on_cleanup(move || {
        kept.try_with_value(|(source, _)| source.as_ref().map(web_sys::EventSource::close));
    });
}

#[cfg(not(feature = "hydrate"))]
fn follow_live(_version: i64) {}

#[component]
fn Board(board: BagBoard) -> impl IntoView {
    follow_live(board.version);
    let empty = board.bags.is_empty();
    let rows = board.bags.into_iter().map(|bag| view! { <BagRow bag/> }).collect_view();
    view! {
        <TableBox label="Open bags">
            <thead>
                <tr>
                    <th scope="col">"Bag"</th>
                    <th scope="col">"Tablet type"</th>
                    <th scope="col" class="num">"Label"</th>
                    <th scope="col" class="num">"Running total"</th>
                    <th scope="col" class="num">"Difference"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </TableBox>
        {empty.then(|| view! { <p class="empty">"No open bags: no published receive of an open PO has bags."</p> })}
        {board.more.then(|| view! { <p class="muted">{format!("The newest receives' first {BOARD_BAGS} bags are shown.")}</p> })}
    }
}

#[component]
fn BagRow(bag: OpenBag) -> impl IntoView {
    let difference = bag.difference();
    let badge = match bag.status {
        BagStatus::Match => "badge badge-ok",
        BagStatus::Over | BagStatus::Under => "badge badge-warn",
        BagStatus::NoBag => "badge badge-off",
    };
    view! {
        <tr>
            <td>{bag.name.clone()}</td>
            <td>{bag.tablet_type.clone()}</td>
            <td class="num">{grouped(bag.label_count)}</td>
            <td class="num">{grouped(bag.running)}</td>
            <td class="num">{if difference > 0 { format!("+{}", grouped(difference)) } else { grouped(difference) }}</td>
            <td><span class=badge>{bag.status.label()}</span></td>
        </tr>
    }
}
