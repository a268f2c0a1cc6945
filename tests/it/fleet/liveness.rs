//! One rule for "online" (`model::fleet::liveness`) on both engines: a device is online only
//! inside the freshness window; the ageing pass turns it offline after, and the site status, the
//! healthy count, the status filter and the fleet summary all say the same as the device.
use std::time::Duration;

use crate::support::http::app_state;
use backroom::db::engine::counts::CountCache;
use backroom::db::engine::Db;
use backroom::db::fleet::{device_page, devices, health_ingest, liveness, seed, sites};
use backroom::model::fleet::device_filter::DeviceFilter;
use backroom::model::fleet::health_input::ValidCheck;
use backroom::model::fleet::liveness::live_since;
use backroom::model::fleet::sites::SiteStatus;
use backroom::model::platform::page::ListQuery;
use backroom::model::platform::time::Timestamp;
use backroom::server::{demo_reporter, liveness_task};

const WINDOW: i64 = 120;

fn healthy_at(at: Timestamp) -> ValidCheck {
    ValidCheck {
        is_healthy: true,
        response_time_ms: 50,
        status_code: 200,
        endpoint: "/health".into(),
        details: None,
        error_message: None,
        checked_at: at,
    }
}

async fn device_status(db: &Db, device_id: &str) -> String {
    device_page::get_device(db, device_id).await.unwrap().unwrap().status
}

/// (status, healthy count) of a site, as its page shows them.
async fn site_facts(db: &Db, site_id: &str) -> (SiteStatus, i64) {
    let site = sites::get_site(db, site_id).await.unwrap().unwrap();
    (site.status, site.healthy_count)
}

/// What the devices list filtered to `status` shows: its total and its rows' statuses.
async fn filtered(db: &Db, status: &str) -> (u64, Vec<String>) {
    let filter = DeviceFilter { status: status.into(), ..Default::default() };
    let q = ListQuery { per_page: 100, ..ListQuery::default() };
    let page = devices::list_devices(db, &CountCache::new(db), &filter, &q).await.unwrap();
    (page.total, page.rows.into_iter().map(|d| d.status).collect())
}

async fn summary_online(db: &Db) -> i64 {
    let summary = sites::fleet_summary(db, &CountCache::new(db)).await.unwrap();
    summary.by_status.iter().find(|(s, _)| s == "online").map(|(_, n)| *n).unwrap()
}

/// Seeded, Lyon has 3 of 4 terminals live and Paris 4 of 4; Berlin's are silent, one in error.
/// Past the window every badge, count and filter says offline; one fresh check brings one
/// device and its site back; a late healthy check leaves its device offline.
#[tokio::test]
async fn every_view_of_a_device_follows_the_window() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        assert_eq!(site_facts(&db, "site-00001").await, (SiteStatus::Online, 3));
        assert_eq!(site_facts(&db, "site-00003").await, (SiteStatus::Warning, 0));
        assert_eq!(filtered(&db, "online").await.0, 7);
        assert_eq!(summary_online(&db).await, 7);

        let later = Timestamp::now().plus_secs(WINDOW + 60);
        assert_eq!(liveness::age_out(&db, live_since(later, WINDOW)).await.unwrap(), 7);
        assert_eq!(device_status(&db, "pos-terminal-000005").await, "offline");
        assert_eq!(site_facts(&db, "site-00001").await, (SiteStatus::Offline, 0));
        assert_eq!(site_facts(&db, "site-00002").await, (SiteStatus::Offline, 0));
        assert_eq!(filtered(&db, "online").await, (0, vec![]));
        let (offline, rows) = filtered(&db, "offline").await;
        assert_eq!((offline, rows.len()), (11, 11));
        assert_eq!(summary_online(&db).await, 0);
        assert_eq!(liveness::oldest_online(&db).await.unwrap(), None);

        let now = Timestamp::now();
        let paris_1 = device_page::get_device(&db, "pos-terminal-000005").await.unwrap().unwrap().id;
        let lyon_2 = device_page::get_device(&db, "pos-terminal-000002").await.unwrap().unwrap().id;
        let rows = [(paris_1, healthy_at(now)), (lyon_2, healthy_at(now.plus_secs(-WINDOW - 1)))];
        health_ingest::ingest(&db, &rows, live_since(now, WINDOW)).await.unwrap();
        assert_eq!(device_status(&db, "pos-terminal-000005").await, "online");
        assert_eq!(device_status(&db, "pos-terminal-000002").await, "offline");
        assert_eq!(site_facts(&db, "site-00002").await, (SiteStatus::Online, 1));
        assert_eq!(filtered(&db, "online").await, (1, vec!["online".to_string()]));
        assert_eq!(liveness::oldest_online(&db).await.unwrap(), Some(now));
    })
    .await;
}

/// The ageing pass sleeps until the oldest online device leaves the window, and turns it
/// offline when it has; the demo reporter keeps the demo's terminals (not the one in error)
/// online through the health writer.
#[tokio::test]
async fn the_ageing_pass_wakes_when_the_next_device_expires_and_the_demo_keeps_reporting() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        let now = Timestamp::now();
        let oldest = liveness::oldest_online(&db).await.unwrap().unwrap();
        let nap = liveness_task::look(&state, WINDOW, now).await;
        assert_eq!(nap, Duration::from_secs((oldest.unix() + WINDOW + 1 - now.unix()) as u64));
        assert!(nap <= Duration::from_secs(WINDOW as u64 + 1));
        assert_eq!(filtered(&db, "online").await.0, 7, "nothing expired yet");

        let later = now.plus_secs(WINDOW + 3600);
        assert_eq!(liveness_task::look(&state, WINDOW, later).await, Duration::from_secs(WINDOW as u64));
        assert_eq!(filtered(&db, "online").await.0, 0);

        assert_eq!(demo_reporter::report(&state, Timestamp::now()).await.unwrap(), 11);
        assert_eq!(filtered(&db, "online").await.0, 11);
        assert_eq!(device_status(&db, "pos-terminal-000010").await, "error");
        assert_eq!(site_facts(&db, "site-00003").await, (SiteStatus::Online, 3));
    })
    .await;
}
