//! A floor count changed and deleted over HTTP, as the edit page posts it: its maker changes it
//! (the line moves with it), another staff member is refused, a verified count is a manager's
//! to change; the edit page's form filled in as it was typed; a delete takes its tablets off.
use axum::http::StatusCode;
use backroom::api::warehouse::submissions::{DeleteSubmission, GetSubmissionForEdit, RecordSubmission};
use backroom::db::engine::Db;
use backroom::warehouse::submission_review::approve_submission;
use leptos::server_fn::ServerFn;

use super::submissions::{line, now, po, receive};
use crate::support::builders::actor;
use crate::support::http::{add_named_user, app_with_users, form, get, login, post_form};

fn packaged(id: Option<&str>, loose: &str) -> String {
    let mut pairs = vec![
        ("form[kind]", "packaged"),
        ("form[submitted_on]", "2026-12-05"),
        ("form[product]", "7OH 4ct"),
        ("form[bag_label]", "PO-E-1-1-1"),
        ("form[loose]", loose),
    ];
    if let Some(id) = id {
        pairs.push(("id", id));
    }
    form(&pairs)
}

#[tokio::test]
async fn staff_change_their_own_unverified_count_and_managers_any() {
    crate::support::each_engine(|db: Db| async move {
        let (state, app) = app_with_users(db, &["staff", "manager"]).await;
        add_named_user(&state, "other", "staff").await;
        backroom::warehouse::demo::seed_demo_catalogue(&state.db, now()).await.unwrap();
        po(&state.db, "PO-E").await;
        receive(&state.db, "PO-E", &["480"], false).await;
        let (staff, other, manager) =
            (login(&app, "staff").await, login(&app, "other").await, login(&app, "manager").await);

        let made = post_form(&app, RecordSubmission::PATH, packaged(None, "7"), Some(&staff)).await;
        let location = made.headers["location"].to_str().unwrap();
        assert!(location.starts_with("/floor?kind=packaged&saved="), "{}", made.body);
        let id = location.rsplit('=').next().unwrap().to_string();
        assert_eq!(line(&state.db, "PO-E", 1).await, (7, 0, 0));

        let page = get(&app, &format!("/submissions/{id}/edit"), Some(&staff)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"value="7""#) && page.body.contains("Change packaged count"), "{}", page.body);
        let theirs = post_form(&app, GetSubmissionForEdit::PATH, form(&[("id", &id)]), Some(&other)).await;
        assert_eq!(theirs.status, StatusCode::CONFLICT);
        assert!(theirs.body.contains("Staff change only their own submissions."));
        let refused = post_form(&app, RecordSubmission::PATH, packaged(Some(&id), "9"), Some(&other)).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);

        let changed = post_form(&app, RecordSubmission::PATH, packaged(Some(&id), "9"), Some(&staff)).await;
        assert_eq!(changed.headers["location"], format!("/floor?kind=packaged&saved={id}"), "{}", changed.body);
        assert_eq!(line(&state.db, "PO-E", 1).await, (9, 0, 0), "the old 7 off the line, the new 9 on");

        approve_submission(&state.db, &actor(), id.parse().unwrap(), now()).await.unwrap();
        let locked = post_form(&app, RecordSubmission::PATH, packaged(Some(&id), "11"), Some(&staff)).await;
        assert!(locked.body.contains("This submission is verified: a manager changes it."), "{}", locked.body);
        let by_manager = post_form(&app, RecordSubmission::PATH, packaged(Some(&id), "11"), Some(&manager)).await;
        assert!(by_manager.headers.contains_key("location"), "{}", by_manager.body);
        assert_eq!(line(&state.db, "PO-E", 1).await, (11, 0, 0));

        let junk = post_form(&app, DeleteSubmission::PATH, form(&[("id", "1e9")]), Some(&manager)).await;
        assert_eq!(junk.status, StatusCode::NOT_FOUND);
        let control = post_form(&app, DeleteSubmission::PATH, form(&[("id", "1\u{0}")]), Some(&manager)).await;
        assert_eq!(control.status, StatusCode::BAD_REQUEST);
        let deleted = post_form(&app, DeleteSubmission::PATH, form(&[("id", &id)]), Some(&manager)).await;
        assert_eq!(deleted.headers["location"], format!("/submissions?deleted={id}"));
        assert_eq!(line(&state.db, "PO-E", 1).await, (0, 0, 0), "its tablets came off the line");
        assert_eq!(get(&app, &format!("/submissions/{id}/edit"), Some(&manager)).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}
