//! A device's page on both engines: details, history paging, the chart, and audited config edits.

use crate::support::builders::live_now;
use crate::support::http::{add_user, app_state, form, get, login, post_form};
use backroom::api::fleet::devices::UpdateDeviceConfig;
use backroom::db::engine::counts::CountCache;
use backroom::db::platform::audit::{count_events, Actor};
use backroom::db::{
    engine::{Db, DbError},
    fleet::{device_page, device_write, health_ingest, seed},
};
use backroom::model::fleet::device::ChartRange;
use backroom::model::fleet::health_input::ValidCheck;
use backroom::model::platform::page::ListQuery;
use backroom::model::platform::time::Timestamp;
use http::StatusCode;
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn details_history_and_chart_of_a_demo_device() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let device = device_page::get_device(&db, "pos-terminal-000005").await.unwrap().unwrap();
        assert_eq!((device.site.as_str(), device.ip_address.as_str()), ("site-00002", "10.0.2.11"));
        assert!(device.config_pretty.contains("\n  \"heartbeat_s\": 30"), "{}", device.config_pretty);
        assert!(device_page::get_device(&db, "pos-terminal-999999").await.unwrap().is_none());

        let q = ListQuery::default();
        let checks = device_page::list_device_checks(&db, &CountCache::new(&db), device.id, Default::default(), &q)
            .await
            .unwrap();
        assert_eq!(checks.total, 3);
        assert!(checks.rows.windows(2).all(|w| w[0].checked_at > w[1].checked_at), "newest first");
        let oldest = ListQuery { sort: "oldest".into(), ..q.clone() };
        let reversed =
            device_page::list_device_checks(&db, &CountCache::new(&db), device.id, Default::default(), &oldest)
                .await
                .unwrap();
        assert_eq!(reversed.rows.first().unwrap().id, checks.rows.last().unwrap().id);

        // The date drill-down: the first and last check, and a day that holds only the newest.
        let (first, last) = device_page::check_ends(&db, device.id).await.unwrap();
        assert_eq!(
            (first, last),
            (checks.rows.last().map(|c| c.checked_at), checks.rows.first().map(|c| c.checked_at))
        );
        let newest = checks.rows[0].checked_at;
        let one_day = backroom::model::platform::day_range::TimeSpan {
            since: Some(newest.plus_secs(-1)),
            until: Some(newest.plus_secs(1)),
        };
        let within = device_page::list_device_checks(&db, &CountCache::new(&db), device.id, one_day, &q).await.unwrap();
        let at_newest = checks.rows.iter().filter(|c| c.checked_at == newest).count() as u64;
        assert_eq!((within.total, within.rows.len() as u64), (at_newest, at_newest));
        let never = backroom::model::platform::day_range::TimeSpan { since: Some(newest.plus_secs(1)), until: None };
        let none = device_page::list_device_checks(&db, &CountCache::new(&db), device.id, never, &q).await.unwrap();
        assert_eq!((none.total, none.rows.len()), (0, 0));
        assert_eq!(device_page::check_ends(&db, -1).await.unwrap(), (None, None), "no checks, no dates");

        let chart = device_page::response_chart(&db, device.id, ChartRange::Day).await.unwrap();
        assert_eq!(chart.buckets.iter().map(|b| b.checks).sum::<u32>(), 3);
        let broken = device_page::get_device(&db, "pos-terminal-000010").await.unwrap().unwrap();
        let bad = device_page::response_chart(&db, broken.id, ChartRange::Week).await.unwrap();
        assert_eq!(bad.buckets.iter().map(|b| b.unhealthy).sum::<u32>(), 3);
    })
    .await;
}

/// Each bucket is summed by the database: count, unhealthy, average and slowest. Checks older
/// than the range or later than now are left out. Demo device 1 has checks 13, 613 and 1,213 s
/// old (47, 58, 69 ms); every offset here is minutes from a 15-minute bucket's edge.
#[tokio::test]
async fn the_chart_sums_each_bucket_and_leaves_out_checks_outside_its_window() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let pk = device_page::get_device(&db, "pos-terminal-000001").await.unwrap().unwrap().id;
        let check = |secs_ago: i64, ms: i64, is_healthy: bool| {
            let at = Timestamp::now().plus_secs(-secs_ago);
            (pk, ValidCheck { is_healthy, response_time_ms: ms, checked_at: at, ..check_at(0) })
        };
        let rows =
            [check(300, 100, false), check(450, 300, true), check(90_000, 10, true), check(31 * 86_400, 9, true)];
        health_ingest::ingest(&db, &rows, live_now()).await.unwrap();
        health_ingest::ingest(&db, &[check(-600, 9, true)], live_now()).await.unwrap();

        let day = device_page::response_chart(&db, pk, ChartRange::Day).await.unwrap();
        let sums: Vec<_> = day.buckets.iter().map(|b| (b.checks, b.unhealthy, b.avg_ms, b.max_ms)).collect();
        assert_eq!(sums, [(1, 0, 69, 69), (4, 1, 126, 300)]);
        assert_eq!(day.buckets[1].start, day.to.plus_secs(-900));
        assert_eq!(day.buckets[0].start, day.to.plus_secs(-1800));
        for (range, checks) in [(ChartRange::Week, 6), (ChartRange::Month, 6)] {
            let chart = device_page::response_chart(&db, pk, range).await.unwrap();
            assert_eq!(chart.buckets.iter().map(|b| b.checks).sum::<u32>(), checks, "{range:?}");
            assert_eq!(chart.buckets.iter().map(|b| b.max_ms).max(), Some(300), "{range:?}");
        }
    })
    .await;
}

fn check_at(minutes_ago: i64) -> ValidCheck {
    ValidCheck {
        is_healthy: true,
        response_time_ms: 40 + minutes_ago,
        status_code: 200,
        endpoint: "/health".into(),
        details: None,
        error_message: None,
        checked_at: Timestamp::now().plus_secs(-60 * minutes_ago),
    }
}

/// A first page that holds every check is its own total; past a full page the count is made
/// and kept, so totals and links are right on both sides of a full page.
#[tokio::test]
async fn history_totals_are_right_on_both_sides_of_a_full_first_page() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let pk = device_page::get_device(&db, "pos-terminal-000005").await.unwrap().unwrap().id;
        let q = ListQuery { per_page: 25, ..ListQuery::default() };
        let counts = CountCache::new(&db);
        crate::support::hear_changes(&db).await;
        let mut written = 3;
        for (add, total, pages, has_next) in [(22, 25, 1, false), (1, 26, 2, true), (34, 60, 3, true)] {
            let rows: Vec<_> = (0..add).map(|i| (pk, check_at(1 + written + i))).collect();
            health_ingest::ingest(&db, &rows, live_now()).await.unwrap();
            written += add;
            let first = device_page::list_device_checks(&db, &counts, pk, Default::default(), &q).await.unwrap();
            let shown = if total == 60 { 26 } else { total };
            assert_eq!((first.total, first.pages, first.next.is_some()), (shown, pages.min(2), has_next), "{total}");
            assert_eq!(first.rows.len(), 25.min(total as usize));
        }
        // The count of 26 was kept: new checks do not drop it. Even so a longer page that is full
        // still links to the rows after it. A fleet write drops the count.
        let longer = ListQuery { per_page: 50, ..q.clone() };
        let first = device_page::list_device_checks(&db, &counts, pk, Default::default(), &longer).await.unwrap();
        assert_eq!((first.total, first.pages, first.next.is_some()), (51, 2, true));
        device_write::set_device_active(&db, &Actor::default(), "pos-terminal-000009", false).await.unwrap();
        let first = device_page::list_device_checks(&db, &counts, pk, Default::default(), &q).await.unwrap();
        assert_eq!(first.window.iter().map(|l| l.page).collect::<Vec<_>>(), [1, 2, 3]);
        let last_q = ListQuery { last: true, ..q.clone() };
        let last = device_page::list_device_checks(&db, &counts, pk, Default::default(), &last_q).await.unwrap();
        assert_eq!((last.page, last.total, last.rows.len()), (3, 60, 10));
    })
    .await;
}

#[tokio::test]
async fn a_config_edit_is_audited_with_old_and_new_values() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let actor = Actor { user_id: None, name: "tester".into(), ..Default::default() };
        let new = serde_json::json!({"heartbeat_s": 60, "locale": "de_DE"});
        device_write::update_config(&db, &actor, "pos-terminal-000001", new).await.unwrap();
        let device = device_page::get_device(&db, "pos-terminal-000001").await.unwrap().unwrap();
        assert!(device.config_pretty.contains("\"heartbeat_s\": 60"));
        assert_eq!(count_events(&db, "device.config_updated").await.unwrap(), 1);

        let missing = device_write::update_config(&db, &actor, "nope", serde_json::json!({})).await;
        assert!(matches!(missing, Err(DbError::NotFound)));
        assert_eq!(count_events(&db, "device.config_updated").await.unwrap(), 1, "no audit row without a change");
    })
    .await;
}

#[tokio::test]
async fn the_page_renders_the_chart_and_refuses_bad_config_without_changing_it() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        add_user(&state, "viewer").await;
        add_user(&state, "manager").await;
        let app = backroom::server::router::build(state);
        let viewer = login(&app, "viewer").await;
        let page = get(&app, "/devices/pos-terminal-000005?range=7d", Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<svg") && page.body.contains("3 checks, average"), "chart on the server");
        assert!(!page.body.contains("<textarea"), "viewers read the config, they do not edit it");
        assert_eq!(get(&app, "/devices/no-such-device", Some(&viewer)).await.status, StatusCode::NOT_FOUND);

        let manager = login(&app, "manager").await;
        assert!(get(&app, "/devices/pos-terminal-000005", Some(&manager)).await.body.contains("<textarea"));
        for (bad, message) in [("[1, 2]", "JSON object"), ("{\"a\": ", "not valid JSON")] {
            let body = form(&[("device_id", "pos-terminal-000005"), ("config", bad)]);
            let r = post_form(&app, UpdateDeviceConfig::PATH, body, Some(&manager)).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains(message), "{}", r.body);
        }
        let device = device_page::get_device(&db, "pos-terminal-000005").await.unwrap().unwrap();
        assert!(device.config_pretty.contains("\"heartbeat_s\": 30"), "unchanged after refused edits");
    })
    .await;
}
