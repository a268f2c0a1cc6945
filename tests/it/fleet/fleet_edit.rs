//! Changing the fleet on both engines: create, edit, move, archive, restore, purge; every change
//! audited in its transaction; bad input refused with field messages and nothing changed.

use crate::support::builders::{actor, device_form as device, site_form as site};
use crate::support::http::{add_user, app_state, form, login, post_form};
use backroom::api::fleet::edit::{CreateDevice, PurgeSite};
use backroom::db::engine::counts::CountCache;
use backroom::db::platform::audit::count_events;
use backroom::db::{
    engine::{Db, DbError},
    fleet::{device_page, device_write, devices, seed, site_write, sites},
};
use backroom::model::fleet::device_filter::DeviceFilter;
use backroom::model::platform::page::ListQuery;
use http::StatusCode;
use leptos::server_fn::ServerFn;

async fn active_devices(db: &Db) -> u64 {
    devices::list_devices(db, &CountCache::new(db), &DeviceFilter::default(), &ListQuery::default())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn sites_are_created_renamed_archived_restored_and_purged_with_audit_rows() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let new = site("site-00500").validate().unwrap();
        site_write::create_site(&db, &actor(), &new).await.unwrap();
        assert!(matches!(site_write::create_site(&db, &actor(), &new).await, Err(DbError::Duplicate)));
        let renamed = site("site-00501").validate().unwrap();
        site_write::update_site(&db, &actor(), "site-00500", &renamed).await.unwrap();
        assert!(sites::get_site(&db, "site-00500").await.unwrap().is_none());
        assert!(matches!(site_write::update_site(&db, &actor(), "gone", &renamed).await, Err(DbError::NotFound)));

        assert_eq!(active_devices(&db).await, 12);
        site_write::set_site_archived(&db, &actor(), "site-00002", true).await.unwrap();
        assert_eq!(active_devices(&db).await, 8, "the archived site's devices leave the active list");
        let paris = device_page::get_device(&db, "pos-terminal-000005").await.unwrap().unwrap();
        assert_eq!((paris.active, paris.status.as_str()), (false, "offline"));
        let archived = sites::list_sites(&db, &CountCache::new(&db), &ListQuery::default(), true).await.unwrap();
        assert_eq!(archived.rows.iter().map(|s| s.site_id.as_str()).collect::<Vec<_>>(), vec!["site-00002"]);
        for _ in 0..2 {
            site_write::set_site_archived(&db, &actor(), "site-00002", false).await.unwrap();
        }
        assert_eq!(active_devices(&db).await, 12, "restore is idempotent");

        let removed = site_write::purge_site(&db, &actor(), "site-00001").await.unwrap();
        assert_eq!(removed, 4);
        assert!(sites::get_site(&db, "site-00001").await.unwrap().is_none());
        assert!(device_page::get_device(&db, "pos-terminal-000001").await.unwrap().is_none());
        for (event, n) in [("site.created", 1), ("site.updated", 1), ("site.archived", 1), ("site.restored", 2)] {
            assert_eq!(count_events(&db, event).await.unwrap(), n, "{event}");
        }
        assert_eq!(count_events(&db, "site.purged").await.unwrap(), 1, "the tombstone");
    })
    .await;
}

#[tokio::test]
async fn devices_are_created_moved_and_archived_only_at_active_sites() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let till = device("till-1", "site-00001").validate().unwrap();
        device_write::create_device(&db, &actor(), &till).await.unwrap();
        assert!(matches!(device_write::create_device(&db, &actor(), &till).await, Err(DbError::Duplicate)));
        let stored = device_page::get_device(&db, "till-1").await.unwrap().unwrap();
        assert_eq!((stored.mac_address.as_str(), stored.status.as_str()), ("02:aa:bb:cc:dd:ee", "unknown"));

        let moved = device("till-1", "site-00003").validate().unwrap();
        device_write::update_device(&db, &actor(), "till-1", &moved).await.unwrap();
        assert_eq!(device_page::get_device(&db, "till-1").await.unwrap().unwrap().site, "site-00003");
        assert_eq!(count_events(&db, "device.moved").await.unwrap(), 1);

        site_write::set_site_archived(&db, &actor(), "site-00002", true).await.unwrap();
        let to_archived = device("till-2", "site-00002").validate().unwrap();
        let refused = device_write::create_device(&db, &actor(), &to_archived).await;
        assert!(matches!(refused, Err(DbError::MissingSite)));
        assert!(device_page::get_device(&db, "till-2").await.unwrap().is_none());

        device_write::set_device_active(&db, &actor(), "till-1", false).await.unwrap();
        assert_eq!(active_devices(&db).await, 8);
        device_write::set_device_active(&db, &actor(), "till-1", true).await.unwrap();
        assert_eq!(active_devices(&db).await, 9);
        assert_eq!(count_events(&db, "device.created").await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn bad_forms_and_a_wrong_purge_confirmation_change_nothing() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        add_user(&state, "manager").await;
        let app = backroom::server::router::build(state);
        let cookie = login(&app, "manager").await;

        let mut bad = device("till-9", "site-00001");
        bad.ip_address = "10.0.0.999".into();
        bad.mac_address = "02:aa:bb".into();
        let body = serde_qs::to_string(&CreateDevice { form: bad, then: None }).unwrap();
        let r = post_form(&app, CreateDevice::PATH, body, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("IPv4 address") && r.body.contains("MAC address"), "{}", r.body);

        let taken =
            serde_qs::to_string(&CreateDevice { form: device("pos-terminal-000001", "site-00001"), then: None })
                .unwrap();
        let r = post_form(&app, CreateDevice::PATH, taken, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("already taken"), "{}", r.body);
        assert!(device_page::get_device(&db, "till-9").await.unwrap().is_none());

        let wrong = form(&[("site_id", "site-00001"), ("confirm", "site-0000")]);
        let r = post_form(&app, PurgeSite::PATH, wrong, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(sites::get_site(&db, "site-00001").await.unwrap().is_some());
        assert_eq!(count_events(&db, "site.purged").await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn the_sites_list_counts_a_new_device_as_soon_as_it_is_created() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        add_user(&state, "manager").await;
        let counts = state.counts.clone();
        let app = backroom::server::router::build(state);
        let cookie = login(&app, "manager").await;
        let device_counts = || async {
            let page = sites::list_sites(&db, &counts, &ListQuery::default(), false).await.unwrap();
            page.rows.iter().map(|s| (s.site_id.clone(), s.device_count)).collect::<Vec<_>>()
        };
        crate::support::builders::create_site(&db, "site-00004").await;
        let before = device_counts().await;
        let numbers = |counts: &[(String, i64)]| counts.iter().map(|(_, n)| *n).collect::<Vec<_>>();
        assert_eq!(numbers(&before), vec![4, 4, 4, 0], "a site with no devices counts zero");
        // A row written behind the app's back (no write path told the cache) is not counted yet.
        let copy = "insert into devices (device_id, name, device_type, site_id, status, firmware_version, active, \
                    created_at, updated_at) select 'till-8', name, device_type, site_id, status, firmware_version, \
                    active, created_at, updated_at from devices where device_id = 'pos-terminal-000009'";
        backroom::db::engine::on_db!(&db, |pool| sqlx::query(copy).execute(pool).await.unwrap().rows_affected());
        assert_eq!(device_counts().await, before, "a count is remembered until a fleet write commits");

        let body = serde_qs::to_string(&CreateDevice { form: device("till-9", "site-00003"), then: None }).unwrap();
        let r = post_form(&app, CreateDevice::PATH, body, Some(&cookie)).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        assert_eq!(numbers(&device_counts().await), vec![4, 4, 6, 0]);
    })
    .await;
}
