//! The home page's figures on both engines: devices in error and sites gone silent (as the
//! liveness rule makes them), and the user's own latest changes, newest first, each carrying
//! the old and new values of what it changed.
use crate::support::builders::site_form;
use crate::support::http::{add_user, app_state};
use backroom::db::engine::counts::CountCache;
use backroom::db::engine::Db;
use backroom::db::fleet::{liveness, seed, site_write};
use backroom::db::platform::audit::Actor;
use backroom::model::fleet::liveness::live_since;
use backroom::model::platform::time::Timestamp;

#[tokio::test]
async fn home_names_what_needs_attention_and_the_users_own_changes() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = app_state(db.clone());
        let manager = add_user(&state, "manager").await;
        let home = || async { backroom::home::home(&db, &CountCache::new(&db), None, manager).await.unwrap() };

        let fresh = home().await;
        let in_error: Vec<&str> = fresh.error_devices.iter().map(|d| d.device_id.as_str()).collect();
        assert_eq!(in_error, ["pos-terminal-000010"]);
        assert_eq!(fresh.devices_in_error(), 1);
        assert!(fresh.offline_sites.is_empty(), "Lyon and Paris report; Berlin has a device in error");
        assert!(fresh.recent.is_empty() && !fresh.all_clear());

        liveness::age_out(&db, live_since(Timestamp::now().plus_secs(600), 120)).await.unwrap();
        let actor = Actor { user_id: Some(manager), name: "manager".into(), ..Default::default() };
        let mut renamed = site_form("site-00001");
        renamed.name = "Lyon Depot (renamed)".into();
        site_write::update_site(&db, &actor, "site-00001", &renamed.validate().unwrap()).await.unwrap();

        let later = home().await;
        let silent: Vec<&str> = later.offline_sites.iter().map(|s| s.site_id.as_str()).collect();
        assert_eq!(silent, ["site-00001", "site-00002"], "every device silent; Berlin still has its error");
        assert!(!later.more_offline_sites);
        let recent: Vec<(&str, &str)> =
            later.recent.iter().map(|r| (r.event_type.as_str(), r.entity_id.as_str())).collect();
        assert_eq!(recent, [("site.updated", "site-00001")]);
        // The edit's row holds both sides of every field it changed, and only those.
        let side = |v: &Option<String>| serde_json::from_str::<serde_json::Value>(v.as_deref().unwrap()).unwrap();
        let (old, new) = (side(&later.recent[0].old_values), side(&later.recent[0].new_values));
        assert_eq!((old["name"].as_str(), new["name"].as_str()), (Some("Lyon Depot #1"), Some("Lyon Depot (renamed)")));
        assert_eq!(new["location"], "1 Quay, Ghent");
        assert!(old.get("site_id").is_none() && new.get("site_id").is_none(), "the key did not change");
    })
    .await;
}
