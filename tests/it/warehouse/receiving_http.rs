//! Receiving over HTTP as a browser without JavaScript posts it: staff make a receive and fill
//! it from the scanner field (each line comes back to the field in the same box), a bad line
//! gets its message, viewers read but do not change, managers assign the PO, and the labels
//! page carries a QR code per bag.
use axum::http::StatusCode;
use backroom::api::warehouse::receiving::{AdvanceReceive, AssignReceivePo, CreateReceive, ScanIntoReceive};
use backroom::db::engine::Db;
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::po_form::{PoForm, PoLineForm};
use backroom::warehouse::demo::seed_demo_catalogue;
use leptos::server_fn::ServerFn;

use crate::support::builders::actor;
use crate::support::http::{app_with_users, form, get, login, post_form};

async fn seed(db: &Db) {
    let now = Timestamp::now();
    seed_demo_catalogue(db, now).await.unwrap();
    let line = PoLineForm { inventory_item: "INV-7OH-18".into(), name: String::new(), quantity: "5000".into() };
    let po = PoForm { number: "PO-H".into(), tablet_type: "18mg 7OH".into(), lines: vec![line], ..Default::default() };
    backroom::warehouse::purchase_orders::create_po(db, &actor(), &po.validate().unwrap(), now).await.unwrap();
}

#[tokio::test]
async fn staff_receive_two_boxes_through_the_scanner_field_and_print_their_labels() {
    crate::support::each_engine(|db: Db| async move {
        seed(&db).await;
        let (_, app) = app_with_users(db, &["viewer", "staff"]).await;
        let (viewer, staff) = (login(&app, "viewer").await, login(&app, "staff").await);
        let receive = [("form[po]", "PO-H"), ("form[received_on]", "2026-12-05"), ("form[received_by]", "Dana")];
        let refused = post_form(&app, CreateReceive::PATH, form(&receive), Some(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let made = post_form(&app, CreateReceive::PATH, form(&receive), Some(&staff)).await;
        assert_eq!(made.headers["location"], "/receives/1?done=created&moved=0", "{}", made.body);

        let line = |box_no: &'static str, scan: &'static str| {
            form(&[("id", "1"), ("box_no", box_no), ("tablet_type", "18mg 7OH"), ("scan", scan)])
        };
        let first = post_form(&app, ScanIntoReceive::PATH, line("1", "12 bags of 480"), Some(&staff)).await;
        assert_eq!(first.headers["location"], "/receives/1?box=1&type=18mg+7OH&said=1-12-480");
        let next = post_form(&app, ScanIntoReceive::PATH, line("1", "next"), Some(&staff)).await;
        assert_eq!(next.headers["location"], "/receives/1?box=2&type=18mg+7OH&said=box");
        post_form(&app, ScanIntoReceive::PATH, line("2", "10x500"), Some(&staff)).await;
        let dup = post_form(&app, ScanIntoReceive::PATH, line("2", "3: 500"), Some(&staff)).await;
        assert_eq!(dup.status, StatusCode::BAD_REQUEST);
        assert!(dup.body.contains("Box 2 has a bag 3 already (500 tablets)."), "{}", dup.body);
        let bad = post_form(&app, ScanIntoReceive::PATH, line("2", "twelve"), Some(&viewer)).await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN, "viewers do not scan");

        let page = get(&app, "/receives/1?box=2&type=18mg+7OH&said=1-10-500", Some(&staff)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Box 2: added bags 1–10 of 500 tablets."), "{}", page.body);
        assert!(page.body.contains("PO-H-1-2-10") && page.body.contains("10,760"), "{}", page.body);
        assert!(page.body.contains(r#"id="scan""#) && page.body.contains("autofocus"));
        let read = get(&app, "/receives/1", Some(&viewer)).await;
        assert!(read.body.contains("PO-H-1-1-12") && !read.body.contains(r#"id="scan""#), "no field for a viewer");

        let labels = get(&app, "/receives/1/labels", Some(&viewer)).await;
        assert_eq!(labels.status, StatusCode::OK);
        assert_eq!(labels.body.matches("<svg").count(), 22, "one QR code per bag");
        assert!(labels.body.contains("PO-H-1-2-10") && labels.body.contains("500 tablets"));
        assert!(get(&app, "/receives/1/labels?layout=4x6", Some(&viewer)).await.body.contains("labels-4x6"));
    })
    .await;
}

#[tokio::test]
async fn a_bad_line_gets_its_message_and_only_managers_assign_a_po_or_close() {
    crate::support::each_engine(|db: Db| async move {
        seed(&db).await;
        let (_, app) = app_with_users(db, &["staff", "manager"]).await;
        let (staff, manager) = (login(&app, "staff").await, login(&app, "manager").await);
        let receive = [("form[received_on]", "2026-12-05"), ("form[received_by]", "Dana"), ("form[notes]", "")];
        post_form(&app, CreateReceive::PATH, form(&receive), Some(&staff)).await;
        let scan =
            |text: &'static str| form(&[("id", "1"), ("box_no", "1"), ("tablet_type", "18mg 7OH"), ("scan", text)]);
        let huge = "9".repeat(5000);
        let bad_lines = [
            ("twelve", "Type a label count"),
            ("0", "A bag's label count is above 0."),
            ("480\u{0}", "Control characters are not allowed"),
            ("\u{202e}480", "Type a label count"),
            (huge.as_str(), "A line is at most 100 characters."),
            ("99999999999999", "That number is too large."),
            ("480480", "A bag holds at most 100,000 tablets"),
        ];
        for (text, says) in bad_lines {
            let body = form(&[("id", "1"), ("box_no", "1"), ("tablet_type", "18mg 7OH"), ("scan", text)]);
            let reply = post_form(&app, ScanIntoReceive::PATH, body, Some(&staff)).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{text:.20}");
            assert!(reply.body.contains(says), "{text:.20}: {}", reply.body);
        }
        let no_box = form(&[("id", "1"), ("box_no", "-1"), ("tablet_type", "18mg 7OH"), ("scan", "480")]);
        assert!(post_form(&app, ScanIntoReceive::PATH, no_box, Some(&staff)).await.body.contains("box_no"));
        let ok = post_form(&app, ScanIntoReceive::PATH, scan("480"), Some(&staff)).await;
        assert_eq!(ok.headers["location"], "/receives/1?box=1&type=18mg+7OH&said=1-1-480");
        assert_eq!(ok.body, r#""Box 1: added bag 1 of 480 tablets.""#, "what a script shows");

        let assign = form(&[("id", "1"), ("po", "PO-H")]);
        assert_eq!(
            post_form(&app, AssignReceivePo::PATH, assign.clone(), Some(&staff)).await.status,
            StatusCode::FORBIDDEN
        );
        let assigned = post_form(&app, AssignReceivePo::PATH, assign, Some(&manager)).await;
        assert_eq!(assigned.headers["location"], "/receives/1?done=saved&moved=0");
        let publish = form(&[("id", "1"), ("status", "published")]);
        assert_eq!(post_form(&app, AdvanceReceive::PATH, publish, Some(&staff)).await.status, StatusCode::OK);
        let close = form(&[("id", "1"), ("status", "closed")]);
        assert_eq!(
            post_form(&app, AdvanceReceive::PATH, close.clone(), Some(&staff)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(post_form(&app, AdvanceReceive::PATH, close, Some(&manager)).await.status, StatusCode::OK);
        let po = get(&app, "/pos/PO-H", Some(&staff)).await;
        assert!(po.body.contains("Receive PO-H-1 closed") && po.body.contains("PO-H-1"), "{}", po.body);
        assert_eq!(get(&app, "/receives/999", Some(&staff)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/receives/x", Some(&staff)).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
