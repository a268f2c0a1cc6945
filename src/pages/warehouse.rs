//! Warehouse pages: the reference data (tablet types, products, categories, machines), each a
//! searchable list, a row's page with its form, and a new row's form; purchase orders;
//! receives with their scanner field and labels; the floor forms, the submissions list and its
//! review queue, the bag board, and the warehouse's home with its dashboard.
pub mod bag_board;
pub mod dashboard_page;
pub mod floor_fields;
pub mod floor_page;
pub mod labels_page;
pub mod po_form;
pub mod po_list;
pub mod po_page;
pub mod po_sections;
pub mod receive_actions;
pub mod receive_form;
pub mod receive_list;
pub mod receive_page;
pub mod reference_list;
pub mod reference_row;
pub mod review_page;
pub mod scan_form;
pub mod submission_edit;
pub mod submission_list;
pub mod tablet_type_select;

use leptos::prelude::*;

use crate::model::warehouse::reference::RefKind;

/// The tabs over the reference pages, the current kind's marked.
#[component]
pub fn ReferenceTabs(current: RefKind) -> impl IntoView {
    let tabs = RefKind::ALL
        .into_iter()
        .map(|kind| {
            let here = (kind == current).then_some("page");
            view! { <a href=kind.path() aria-current=here>{kind.title()}</a> }
        })
        .collect_view();
    view! { <nav class="tabs" aria-label="Warehouse reference data">{tabs}</nav> }
}
