//! A user's time zone on both engines: set on the account, carried by the current user with
//! its offsets, audited with both names; a zone that does not exist is refused at the field.
use backroom::api::platform::account::SetTimeZone;
use backroom::api::platform::auth::GetCurrentUser;
use backroom::db::platform::audit::count_events;
use backroom::model::platform::time::Timestamp;
use backroom::model::platform::user::CurrentUser;
use http::StatusCode;
use leptos::server_fn::ServerFn;

use crate::support::http::{app_with_users, form, login, post_form};

#[tokio::test]
async fn a_chosen_zone_comes_with_the_user_and_junk_is_refused() {
    crate::support::each_engine(|db| async move {
        let (_state, app) = app_with_users(db.clone(), &["viewer"]).await;
        let cookie = login(&app, "viewer").await;
        let me = || async {
            let r = post_form(&app, GetCurrentUser::PATH, String::new(), Some(&cookie)).await;
            serde_json::from_str::<Option<CurrentUser>>(&r.body).unwrap().unwrap()
        };
        assert_eq!(me().await.zone.name, "UTC", "the server's default until one is chosen");

        let set = |zone: &str| post_form(&app, SetTimeZone::PATH, form(&[("time_zone", zone)]), Some(&cookie));
        let saved = set(" Europe/Paris ").await;
        assert!(saved.status.is_success(), "{} {}", saved.status, saved.body);
        assert_eq!(saved.headers["location"], "/account?done=zone");
        let zone = me().await.zone;
        assert_eq!(zone.name, "Europe/Paris");
        assert!(zone.spans.len() > 90, "two changes a year to 2050: {}", zone.spans.len());
        let summer = Timestamp::parse("2026-07-01T10:00:00Z").unwrap();
        assert_eq!(summer.display_in(&zone), "2026-07-01 12:00 CEST");
        assert_eq!(count_events(&db, "user.time_zone_changed").await.unwrap(), 1);

        for junk in ["Mars/Olympus_Mons", &"Europe/".repeat(2000)] {
            let refused = set(junk).await;
            assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{junk:?}");
            assert!(refused.body.contains("Choose a time zone"), "{}", refused.body);
        }
        let control = set("Europe/Paris\u{7}").await;
        assert_eq!(control.status, StatusCode::BAD_REQUEST, "{}", control.body);
        assert_eq!(me().await.zone.name, "Europe/Paris", "a refused zone changes nothing");
        assert!(set("").await.status.is_success());
        assert_eq!(me().await.zone.name, "UTC");
        assert_eq!(count_events(&db, "user.time_zone_changed").await.unwrap(), 2);
    })
    .await;
}
