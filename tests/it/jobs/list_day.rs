//! The jobs list's day filter is a day in the viewer's time zone, in the CSV as on the page.
use backroom::api::platform::account::SetTimeZone;
use backroom::db::engine::Db;
use backroom::model::platform::time::Timestamp;
use leptos::server_fn::ServerFn;

use super::{add_fleet, create, site_job};
use crate::support::http::{app_with_users, form, get, login, post_form};

#[tokio::test]
async fn a_day_is_the_viewers_day() {
    crate::support::each_engine(|db: Db| async move {
        add_fleet(&db, 1, 1).await;
        let late = create(&db, site_job("site-1"), Timestamp::parse("2026-12-05T23:30:00Z").unwrap()).await;
        let early = create(&db, site_job("site-1"), Timestamp::parse("2026-12-06T00:30:00Z").unwrap()).await;
        let (_state, app) = app_with_users(db.clone(), &["viewer"]).await;
        let cookie = login(&app, "viewer").await;
        let listed = |day: &'static str| {
            let (app, cookie, late, early) = (app.clone(), cookie.clone(), late.clone(), early.clone());
            async move {
                let reply = get(&app, &format!("/jobs/export?day={day}"), Some(&cookie)).await;
                assert!(reply.status.is_success(), "{} {}", reply.status, reply.body);
                (reply.body.contains(&late), reply.body.contains(&early))
            }
        };
        let zone = |name: &'static str| post_form(&app, SetTimeZone::PATH, form(&[("time_zone", name)]), Some(&cookie));
        assert_eq!(listed("2026-12-06").await, (false, true), "in UTC the 23:30 job is the day before");
        assert!(zone("Europe/Paris").await.status.is_success());
        assert_eq!(listed("2026-12-06").await, (true, true), "in Paris both are on the 6th");
        assert!(zone("America/New_York").await.status.is_success());
        assert_eq!(listed("2026-12-05").await, (true, true), "in New York both are on the 5th");
        assert_eq!(listed("2026-12-06").await, (false, false));
        assert_eq!(listed("not-a-day").await, (true, true), "a day that is no date filters nothing");
    })
    .await;
}
