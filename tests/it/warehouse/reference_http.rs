//! Reference data over HTTP: forms posted as a browser without JavaScript posts them, the pages
//! each role sees, and the CSV downloads.
use axum::http::StatusCode;
use backroom::api::warehouse::reference::{CreateReferenceRow, TakeReferenceImportReport};
use backroom::db::engine::Db;
use leptos::server_fn::ServerFn;

use crate::support::http::{app_with_users, form, get, login, multipart, post_form, send};

#[tokio::test]
async fn a_manager_fills_the_catalogue_and_a_viewer_reads_and_downloads_it() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = app_with_users(db, &["viewer", "manager"]).await;
        let (viewer, manager) = (login(&app, "viewer").await, login(&app, "manager").await);
        let create = |pairs: &[(&str, &str)]| form(pairs);
        let typed =
            create(&[("kind", "tablet-types"), ("form[name]", "18mg 7OH"), ("form[inventory_item]", "INV-7OH-18")]);
        let r = post_form(&app, CreateReferenceRow::PATH, typed, Some(&manager)).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        let zero = create(&[
            ("kind", "products"),
            ("form[name]", "7OH 4ct"),
            ("form[tablet_type]", "18mg 7OH"),
            ("form[ppd]", "0"),
            ("form[tpp]", "4"),
        ]);
        let r = post_form(&app, CreateReferenceRow::PATH, zero, Some(&manager)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Must be greater than 0."), "{}", r.body);
        let good = create(&[
            ("kind", "products"),
            ("form[name]", "7OH 4ct"),
            ("form[tablet_type]", "18mg 7OH"),
            ("form[ppd]", "20"),
            ("form[tpp]", "4"),
        ]);
        let r = post_form(&app, CreateReferenceRow::PATH, good.clone(), Some(&viewer)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a viewer reads but does not change");
        let r = post_form(&app, CreateReferenceRow::PATH, good, Some(&manager)).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        let nonsense = create(&[("kind", "tablets"), ("form[name]", "x")]);
        assert_eq!(
            post_form(&app, CreateReferenceRow::PATH, nonsense, Some(&manager)).await.status,
            StatusCode::NOT_FOUND
        );

        let page = get(&app, "/warehouse/products", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("7OH 4ct") && !page.body.contains("New product"), "{}", page.body);
        let page = get(&app, "/warehouse/products", Some(&manager)).await;
        assert!(page.body.contains("New product"));

        let csv = get(&app, "/warehouse/products/export", Some(&viewer)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.body, "name,tablet_type,ppd,tpp\n7OH 4ct,18mg 7OH,20,4\n");
        let none = get(&app, "/warehouse/products/export?archived=1", Some(&viewer)).await;
        assert_eq!(none.body, "name,tablet_type,ppd,tpp\n");
        let anonymous = get(&app, "/warehouse/products/export", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "a browser without a session is sent to log in");
        assert!(anonymous.headers["location"].to_str().unwrap().starts_with("/login"));
        // A name a spreadsheet would run as a formula is written defused (IN-5).
        let formula = create(&[("kind", "categories"), ("form[name]", "=1+1")]);
        let r = post_form(&app, CreateReferenceRow::PATH, formula, Some(&manager)).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        let csv = get(&app, "/warehouse/categories/export", Some(&viewer)).await;
        assert_eq!(csv.body, "name,position\n'=1+1,0\n");

        // The same file back through the upload: a viewer may not, a manager gets a report.
        let upload = |cookie: &str| {
            multipart("/warehouse/categories/import", &[], "categories.csv", csv.body.as_bytes(), cookie)
        };
        assert_eq!(send(&app, upload(&viewer)).await.status, StatusCode::FORBIDDEN);
        let done = send(&app, upload(&manager)).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(done.headers["location"], "/warehouse/categories?imported=1");
        let report = post_form(&app, TakeReferenceImportReport::PATH, String::new(), Some(&manager)).await;
        assert!(report.body.contains(r#""skipped":1"#) && report.body.contains(r#""applied":true"#), "{}", report.body);
        let again = post_form(&app, TakeReferenceImportReport::PATH, String::new(), Some(&manager)).await;
        assert_eq!(again.body, "null", "a report is shown once");
        let empty = send(&app, multipart("/warehouse/categories/import", &[], "x.csv", b"", &manager)).await;
        assert_eq!(empty.headers["location"], "/warehouse/categories?import_error=nofile");
        assert_eq!(get(&app, "/warehouse/tablets/export", Some(&viewer)).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
