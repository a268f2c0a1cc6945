//! A table of API tokens with a revoke button on each live one: a device's tokens on its page
//! (managers) or every token (admins). Only labels and dates: a token's secret is never stored.
use leptos::form::ActionForm;
use leptos::prelude::*;

use super::error_view::FormError;
use super::form::use_form_error;
use super::refresh::refresh_after;
use crate::api::fleet::tokens::RevokeApiToken;
use crate::components::table_box::TableBox;
use crate::components::time::Time;
use crate::model::admin::accounts::TokenRow;

/// `device`: the device whose page this is (its tokens only), or `None` for the admins' list.
#[component]
pub fn TokenTable(rows: Vec<TokenRow>, device: Option<String>) -> impl IntoView {
    let revoke = ServerAction::<RevokeApiToken>::new();
    refresh_after(revoke);
    let error = use_form_error(revoke);
    let empty = rows.is_empty();
    let show_device = device.is_none();
    let body = rows
        .into_iter()
        .map(|t| {
            let scope = device.clone();
            let state = match t.revoked_at {
                Some(at) => view! { <span class="badge">"revoked "<Time at/></span> }.into_any(),
                None => view! {
                    <ActionForm action=revoke>
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        {scope.map(|d| view! { <input type="hidden" name="device_id" value=d/> })}
                        <button type="submit" class="secondary">"Revoke"</button>
                    </ActionForm>
                }
                .into_any(),
            };
            let device_cell = show_device.then(|| match t.device_id.clone() {
                Some(key) => {
                    let link =
                        format!("/devices/{}", form_urlencoded::byte_serialize(key.as_bytes()).collect::<String>());
                    view! { <td><a href=link>{key}</a></td> }.into_any()
                }
                None => view! { <td><span class="badge">"collector: any device"</span></td> }.into_any(),
            });
            view! {
                <tr>
                    <td class="num">{t.id}</td>
                    {device_cell}
                    <td>{t.label}</td>
                    <td>{t.created_by}</td>
                    <td><Time at=t.created_at/></td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <FormError error=error/>
        {if empty {
            let text = if show_device { "No tokens." } else { "This device has no live token." };
            view! { <p class="muted">{text}</p> }.into_any()
        } else {
            view! {
                <TableBox label="API tokens">
                    <thead><tr>
                        <th scope="col" class="num">"#"</th>
                        {show_device.then(|| view! { <th scope="col">"Device"</th> })}
                        <th scope="col">"Label"</th>
                        <th scope="col">"Created by"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"State"</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </TableBox>
            }
            .into_any()
        }}
    }
}
