//! Purchase orders over HTTP: the new PO form posted as a browser without JavaScript posts it,
//! the list, its CSV, the PO page and its edit each role sees, and a move the flow refuses.
use axum::http::StatusCode;
use backroom::api::warehouse::purchase_orders::{CreatePurchaseOrder, EditPurchaseOrder, MovePurchaseOrder};
use backroom::db::engine::Db;
use leptos::server_fn::ServerFn;

use crate::support::http::{app_with_users, form, get, login, post_form};

#[tokio::test]
async fn a_manager_creates_a_po_with_two_lines_and_a_viewer_reads_it() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = app_with_users(db, &["viewer", "manager"]).await;
        let (viewer, manager) = (login(&app, "viewer").await, login(&app, "manager").await);
        let mut pairs = vec![
            ("form[number]", "PO-HTTP-1"),
            ("form[vendor]", "Acme"),
            ("form[lines][0][inventory_item]", "ITEM-A"),
            ("form[lines][0][name]", "Item A"),
            ("form[lines][0][quantity]", "1,000"),
            ("form[lines][1][inventory_item]", ""),
            ("form[lines][1][name]", ""),
            ("form[lines][1][quantity]", ""),
            ("form[lines][2][inventory_item]", "ITEM-B"),
            ("form[lines][2][name]", "Item B"),
            ("form[lines][2][quantity]", "0"),
        ];
        let refused = post_form(&app, CreatePurchaseOrder::PATH, form(&pairs), Some(&manager)).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused.body.contains("line-3-quantity") && refused.body.contains("Must be greater than 0."),
            "{}",
            refused.body
        );
        pairs[10] = ("form[lines][2][quantity]", "250");
        assert_eq!(
            post_form(&app, CreatePurchaseOrder::PATH, form(&pairs), Some(&viewer)).await.status,
            StatusCode::FORBIDDEN
        );
        let made = post_form(&app, CreatePurchaseOrder::PATH, form(&pairs), Some(&manager)).await;
        assert!(made.status.is_success() || made.status.is_redirection(), "{} {}", made.status, made.body);
        assert_eq!(made.headers["location"], "/pos/PO-HTTP-1?done=created", "to the new PO's page");

        let list = get(&app, "/pos?state=open", Some(&viewer)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("PO-HTTP-1") && list.body.contains("1,250"), "{}", list.body);
        assert!(!list.body.contains("New purchase order"));
        let page = get(&app, "/pos/PO-HTTP-1", Some(&viewer)).await;
        assert!(page.body.contains("Item B") && page.body.contains("Remaining"), "{}", page.body);
        assert!(!page.body.contains("Change this PO"), "a viewer has no actions");
        assert!(get(&app, "/pos/PO-HTTP-1", Some(&manager)).await.body.contains("Mark Issued"));

        let back = form(&[("number", "PO-HTTP-1"), ("status", "complete")]);
        let r = post_form(&app, MovePurchaseOrder::PATH, back, Some(&manager)).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("A Draft PO cannot become Complete."), "{}", r.body);
        let missing = get(&app, "/pos/PO-NOPE", Some(&viewer)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let edit_page = get(&app, "/pos/PO-HTTP-1/edit", Some(&manager)).await;
        assert_eq!(edit_page.status, StatusCode::OK);
        assert!(
            edit_page.body.contains(r#"value="Item B""#) && edit_page.body.contains(r#"value="250""#),
            "{}",
            edit_page.body
        );
        let seen = edit_page.body.split(r#"name="form[seen]" value=""#).nth(1).and_then(|v| v.split('"').next());
        let seen = seen.expect("the form names the state it was drawn from");
        let stale = form(&[
            ("form[number]", "PO-HTTP-1"),
            ("form[seen]", "0"),
            ("form[lines][0][inventory_item]", "ITEM-A"),
            ("form[lines][0][quantity]", "5"),
        ]);
        let refused = post_form(&app, EditPurchaseOrder::PATH, stale, Some(&manager)).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        let edited = form(&[
            ("form[number]", "PO-HTTP-1"),
            ("form[seen]", seen),
            ("form[vendor]", "Acme"),
            ("form[lines][0][inventory_item]", "ITEM-A"),
            ("form[lines][0][name]", "Item A"),
            ("form[lines][0][quantity]", "900"),
        ]);
        let viewer_edit = post_form(&app, EditPurchaseOrder::PATH, edited.clone(), Some(&viewer)).await;
        assert_eq!(viewer_edit.status, StatusCode::FORBIDDEN);
        let saved = post_form(&app, EditPurchaseOrder::PATH, edited, Some(&manager)).await;
        assert_eq!(saved.headers["location"], "/pos/PO-HTTP-1?done=saved", "{}", saved.body);
        assert!(!get(&app, "/pos/PO-HTTP-1", Some(&viewer)).await.body.contains("Item B"), "line 2 removed");

        let csv = get(&app, "/pos/export?vendor=ACME&state=open&after=PO-HTTP-1", Some(&viewer)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(
            lines[0],
            "number,overs_of,vendor,tablet_type,status,closed,ordered,good,damaged,remaining,created_at"
        );
        assert!(
            lines[1].starts_with("PO-HTTP-1,,Acme,,draft,false,900,0,0,900,20"),
            "every match, the page's position left out: {}",
            csv.body
        );
        assert_eq!(lines.len(), 2);
        assert!(
            get(&app, "/pos/export?vendor=nobody", Some(&viewer)).await.body.lines().count() == 1,
            "the header only"
        );
        assert_ne!(get(&app, "/pos/export", None).await.status, StatusCode::OK, "not without a login");
    })
    .await;
}
