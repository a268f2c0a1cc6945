//! The review queue, the submissions CSV, the bag board and the warehouse's home over HTTP:
//! a manager's bulk post answered with the queue and its report (shown once), the CSV's 18
//! columns and its refusal of a bad filter, the board's bags with its refresh for browsers
//! without JavaScript, the dashboard for managers only.
use axum::http::StatusCode;
use backroom::api::warehouse::submission_list::ReviewSubmissions;
use backroom::db::engine::Db;
use leptos::server_fn::ServerFn;

use super::submissions::{now, packaged, po, receive, record};
use crate::support::http::{app_with_users, form, get, login, post_form};

#[tokio::test]
async fn a_manager_works_the_queue_and_everyone_reads_the_csv_and_the_board() {
    crate::support::each_engine(|db: Db| async move {
        let (state, app) = app_with_users(db, &["viewer", "manager"]).await;
        backroom::warehouse::demo::seed_demo_catalogue(&state.db, now()).await.unwrap();
        po(&state.db, "PO-H").await;
        receive(&state.db, "PO-H", &["2x480"], false).await;
        let loose = record(&state.db, &packaged("", "", "9", "", None)).await.unwrap().id;
        record(&state.db, &packaged("2", "10", "7", "3", Some((1, 2)))).await.unwrap();
        let (viewer, manager) = (login(&app, "viewer").await, login(&app, "manager").await);

        let approve = form(&[("action", "approve"), ("ids[0]", &loose.to_string()), ("back", "show=no_bag")]);
        let refused = post_form(&app, ReviewSubmissions::PATH, approve.clone(), Some(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let worked = post_form(&app, ReviewSubmissions::PATH, approve, Some(&manager)).await;
        assert_eq!(worked.headers["location"], "/review?show=no_bag", "{}", worked.body);
        let queue = get(&app, "/review?show=no_bag", Some(&manager)).await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.body.contains(&format!("Submission {loose}: cannot approve an unassigned submission")));
        assert!(queue.body.contains(&format!("Tick submission {loose}")), "still waiting");
        let again = get(&app, "/review?show=no_bag", Some(&manager)).await;
        assert!(!again.body.contains("cannot approve"), "the report is shown once");
        assert_eq!(get(&app, "/review", Some(&viewer)).await.status, StatusCode::FORBIDDEN);

        let csv = get(&app, "/submissions/export?kind=packaged&po=PO-H", Some(&viewer)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(lines.len(), 2, "the header and PO-H's one count: {}", csv.body);
        assert_eq!(lines[0].split(',').count(), 18);
        assert!(lines[1].ends_with(",PO-H,1,2,2,10,7,3,207,207,480,under,no,"), "{}", lines[1]);
        let bad = get(&app, "/submissions/export?from=2026-99-01", Some(&viewer)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_ne!(get(&app, "/submissions/export", None).await.status, StatusCode::OK, "not without a login");

        let board = get(&app, "/bags", Some(&viewer)).await;
        assert!(board.body.contains("PO-H-1-1-2") && board.body.contains("-273"), "207 of 480: {}", board.body);
        assert!(board.body.contains(r#"<meta http-equiv="refresh" content="30">"#));
        let home = get(&app, "/warehouse", Some(&manager)).await;
        assert!(home.body.contains("Open POs") && home.body.contains("Last 10 submissions"));
        let viewers_home = get(&app, "/warehouse", Some(&viewer)).await;
        assert_eq!(viewers_home.status, StatusCode::OK);
        assert!(viewers_home.body.contains("Bag board") && !viewers_home.body.contains("Open POs"));
    })
    .await;
}
