//! Many devices at once on both engines: one transaction, one audit row per device changed,
//! nothing written for a device already so, a refused request changes nothing, and the answer
//! goes back to the list the action came from.
use crate::support::http::{add_user, app_state, form, login, post_form};
use backroom::api::fleet::bulk::BulkDevices;
use backroom::db::engine::{counts::CountCache, Db};
use backroom::db::fleet::{device_page, devices, seed};
use backroom::db::platform::audit::count_events;
use backroom::model::fleet::device_filter::DeviceFilter;
use backroom::model::platform::page::ListQuery;
use http::StatusCode;
use leptos::server_fn::ServerFn;

async fn listed(db: &Db, archived: bool) -> Vec<String> {
    let filter = DeviceFilter { archived, ..Default::default() };
    let page = devices::list_devices(db, &CountCache::new(db), &filter, &ListQuery::default()).await.unwrap();
    page.rows.into_iter().map(|d| d.device_id).collect()
}

fn bulk(action: &str, site: &str, ids: &[&str], back: &str) -> String {
    let names: Vec<String> = (0..ids.len()).map(|i| format!("device_ids[{i}]")).collect();
    let mut pairs = vec![("action", action), ("site", site), ("back", back)];
    pairs.extend(names.iter().map(String::as_str).zip(ids.iter().copied()));
    form(&pairs)
}

#[tokio::test]
async fn ticked_devices_are_archived_moved_and_restored_with_an_audit_row_each() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        add_user(&state, "manager").await;
        let app = backroom::server::router::build(state);
        let cookie = login(&app, "manager").await;
        let post = |body: String| post_form(&app, BulkDevices::PATH, body, Some(&cookie));

        let ids = ["pos-terminal-000001", "pos-terminal-000002", "gone-1"];
        let r = post(bulk("archive", "", &ids, "status=online&bulk=move&changed=9")).await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        assert_eq!(r.headers["location"], "/devices?status=online&bulk=archive&changed=2&unchanged=0&missing=1");
        assert_eq!(listed(&db, true).await, ["pos-terminal-000001", "pos-terminal-000002"]);
        assert_eq!(listed(&db, false).await.len(), 10);
        assert_eq!(count_events(&db, "device.archived").await.unwrap(), 2);

        let again = post(bulk("archive", "", &ids[..2], "")).await;
        assert_eq!(again.headers["location"], "/devices?bulk=archive&changed=0&unchanged=2&missing=0");
        assert_eq!(count_events(&db, "device.archived").await.unwrap(), 2, "no row for what did not change");

        let moved = post(bulk("move", "site-00003", &["pos-terminal-000001", "pos-terminal-000005"], "")).await;
        assert_eq!(moved.headers["location"], "/devices?bulk=move&changed=2&unchanged=0&missing=0");
        let device = device_page::get_device(&db, "pos-terminal-000001").await.unwrap().unwrap();
        assert_eq!((device.site.as_str(), device.active), ("site-00003", false), "a move leaves it archived");
        assert_eq!(count_events(&db, "device.moved").await.unwrap(), 2);

        let restored = post(bulk("restore", "", &ids[..2], "")).await;
        assert_eq!(restored.headers["location"], "/devices?bulk=restore&changed=2&unchanged=0&missing=0");
        assert!(listed(&db, true).await.is_empty());
        let maintenance = post(bulk("maintenance", "", &["pos-terminal-000003"], "")).await;
        assert!(maintenance.status.is_success());
        let device = device_page::get_device(&db, "pos-terminal-000003").await.unwrap().unwrap();
        assert_eq!(device.status, "maintenance");
    })
    .await;
}

#[tokio::test]
async fn a_refused_request_changes_nothing_and_says_why() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        add_user(&state, "manager").await;
        let app = backroom::server::router::build(state);
        let cookie = login(&app, "manager").await;
        let post = |body: String| post_form(&app, BulkDevices::PATH, body, Some(&cookie));

        let nowhere = post(bulk("move", "site-99999", &["pos-terminal-000001"], "")).await;
        assert_eq!(nowhere.status, StatusCode::BAD_REQUEST);
        assert!(nowhere.body.contains("no active site"), "{}", nowhere.body);
        let many: Vec<String> = (0..101).map(|i| format!("pos-terminal-{i:06}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let too_many = post(bulk("archive", "", &many, "")).await;
        assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
        assert!(too_many.body.contains("at most 100"), "{}", too_many.body);
        for junk in [bulk("archive", "", &["pos\u{0}1"], ""), bulk("explode", "", &["pos-terminal-000001"], "")] {
            assert_eq!(post(junk).await.status, StatusCode::BAD_REQUEST);
        }
        let none = post(bulk("archive", "", &[], "")).await;
        assert!(none.body.contains("Select at least one device"), "{}", none.body);
        assert_eq!(listed(&db, false).await.len(), 12);
        for event in ["device.archived", "device.moved"] {
            assert_eq!(count_events(&db, event).await.unwrap(), 0, "{event}");
        }
        let elsewhere = post(bulk("restore", "", &["pos-terminal-000001"], "//evil.example/x")).await;
        let location = elsewhere.headers["location"].to_str().unwrap();
        assert!(location.starts_with("/devices?") && !location.contains("//"), "{location}");
    })
    .await;
}
