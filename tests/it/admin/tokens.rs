//! API tokens (AS-14) on both engines: listed without their secrets, revoked by managers (a
//! device's) and admins (any), refused at once when revoked, and a restore keeps every
//! revocation made after its backup was taken.

use crate::support::http::{form, login, post_form};
use backroom::api::fleet::tokens::{ListApiTokens, RevokeApiToken};
use backroom::backup::{catalog::Tier, create, restore::restore};
use backroom::db::fleet::api_tokens::{create_collector_token, find_token, list_tokens, rotate_device_token};
use backroom::db::{
    engine::Db,
    fleet::seed,
    platform::{audit, audit::Actor},
};
use http::StatusCode;
use leptos::server_fn::ServerFn;

const DEVICE: &str = "pos-terminal-000001";

#[tokio::test]
async fn tokens_are_listed_and_revoked_by_the_roles_that_may() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let (_, app) = crate::support::http::app_with_users(db.clone(), &["manager", "admin"]).await;
        let actor = Actor { name: "test".into(), ..Default::default() };
        let device_token = rotate_device_token(&db, &actor, DEVICE).await.unwrap();
        let collector = create_collector_token(&db, &actor, "store collector").await.unwrap();
        let listed = list_tokens(&db, None, false).await.unwrap();
        let collector_id = listed.iter().find(|t| t.device_id.is_none()).unwrap().id;
        let device_id = listed.iter().find(|t| t.device_id.as_deref() == Some(DEVICE)).unwrap().id;
        let (manager, admin) = (login(&app, "manager").await, login(&app, "admin").await);

        let all = post_form(&app, ListApiTokens::PATH, form(&[("with_revoked", "false")]), Some(&manager)).await;
        assert_eq!(all.status, StatusCode::FORBIDDEN, "every token is for admins");
        let own = form(&[("device_id", DEVICE), ("with_revoked", "false")]);
        let shown = post_form(&app, ListApiTokens::PATH, own, Some(&manager)).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains(DEVICE) && !shown.body.contains(&device_token[4..20]), "no secret: {}", shown.body);
        let body = form(&[("id", &collector_id.to_string())]);
        assert_eq!(
            post_form(&app, RevokeApiToken::PATH, body.clone(), Some(&manager)).await.status,
            StatusCode::FORBIDDEN
        );
        let scoped = form(&[("id", &collector_id.to_string()), ("device_id", DEVICE)]);
        post_form(&app, RevokeApiToken::PATH, scoped, Some(&manager)).await;
        assert!(find_token(&db, &collector).await.unwrap().is_some(), "a device's page revokes only its tokens");

        let mine = form(&[("id", &device_id.to_string()), ("device_id", DEVICE)]);
        assert!(post_form(&app, RevokeApiToken::PATH, mine, Some(&manager)).await.status.is_success());
        assert!(post_form(&app, RevokeApiToken::PATH, body, Some(&admin)).await.status.is_success());

        assert!(find_token(&db, &device_token).await.unwrap().is_none());
        assert!(find_token(&db, &collector).await.unwrap().is_none());
        assert!(list_tokens(&db, None, false).await.unwrap().is_empty());
        assert!(list_tokens(&db, None, true).await.unwrap().iter().all(|t| t.revoked_at.is_some()));
        assert_eq!(audit::count_events(&db, "api_token.revoked").await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_restore_keeps_the_revocations_made_after_its_backup() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let actor = Actor { name: "test".into(), ..Default::default() };
        let stolen = create_collector_token(&db, &actor, "leaked collector").await.unwrap();
        let kept = create_collector_token(&db, &actor, "still fine").await.unwrap();
        let dir = crate::support::temp_dir("revocations");
        let backup = create::create(&db, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap();
        let id = list_tokens(&db, None, false)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.label == "leaked collector")
            .unwrap()
            .id;
        backroom::db::fleet::api_tokens::revoke_token(&db, &actor, id, None).await.unwrap();

        let summary = restore(&db, &dir.join(&backup.file), &dir, u64::MAX, None, &crate::support::quiet())
            .await
            .expect("restored");

        assert_eq!(summary.revocations_kept, 1);
        assert!(summary.proven, "{:?}", summary.warning);
        assert!(find_token(&db, &stolen).await.unwrap().is_none(), "the revoked token stays revoked");
        assert!(find_token(&db, &kept).await.unwrap().is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}
