//! What may be done to a receive, by role: publish a draft with its bags (staff and above),
//! close a published one, and put it on a PO (managers and admins).
use leptos::form::ActionForm;
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::api::warehouse::receiving::{AdvanceReceive, AssignReceivePo};
use crate::components::error_view::FormError;
use crate::components::form::{use_form_error, TextField};
use crate::components::kept::KeepTyped;
use crate::components::refresh::refresh_after;
use crate::model::platform::user::Role;
use crate::model::warehouse::po_form::MAX_PO_REF_CHARS;
use crate::model::warehouse::receive_views::ReceiveDetail;
use crate::model::warehouse::receiving::ReceiveStatus;

#[component]
pub fn ReceiveActions(receive: ReceiveDetail, role: Role) -> impl IntoView {
    let advance = ServerAction::<AdvanceReceive>::new();
    let assign = ServerAction::<AssignReceivePo>::new();
    refresh_after(advance);
    refresh_after(assign);
    let (advance_error, assign_error) = (use_form_error(advance), use_form_error(assign));
    let id = StoredValue::new(receive.id.to_string());
    let next = receive.status.next().filter(|to| match to {
        ReceiveStatus::Closed => role >= Role::Manager,
        _ => role >= Role::Staff,
    });
    let move_button = next.map(|to| {
        let (text, hint) = match to {
            ReceiveStatus::Published => {
                ("Publish", "Its bags are fixed once published: the floor counts against them.")
            }
            _ => ("Close receive", "A closed receive takes no more floor counts."),
        };
        view! {
            <ActionForm action=advance attr:class="inline">
                <input type="hidden" name="id" value=id.get_value()/>
                <input type="hidden" name="status" value=to.as_str()/>
                <button type="submit">{text}</button>
                " "<small class="hint">{hint}</small>
            </ActionForm>
        }
    });
    // A published receive keeps the PO its labels name; one without a PO takes one until closed.
    let assignable = role >= Role::Manager
        && (receive.status == ReceiveStatus::Draft
            || (receive.status == ReceiveStatus::Published && receive.po.is_none()));
    let assign_form = assignable.then(|| {
        let label = if receive.po.is_some() { "Move to PO" } else { "Assign to PO" };
        view! {
            <FormError error=assign_error/>
            <KeepTyped fn_path={<AssignReceivePo as ServerFn>::PATH}>
                <ActionForm action=assign attr:class="stack">
                    <input type="hidden" name="id" value=id.get_value()/>
                    <TextField label="PO number" name="po" field="po" value="" error=assign_error
                        maxlength=MAX_PO_REF_CHARS/>
                    <button type="submit" class="secondary">{label}</button>
                </ActionForm>
            </KeepTyped>
        }
    });
    (next.is_some() || assignable).then(|| {
        view! {
            <section class="card" aria-labelledby="receive-actions">
                <h2 id="receive-actions">"Change this receive"</h2>
                <FormError error=advance_error/>
                {move_button}
                {assign_form}
            </section>
        }
    })
}
