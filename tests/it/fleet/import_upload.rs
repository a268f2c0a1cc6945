//! The import page's upload on both engines: an import is audited (file name, counts, SHA-256)
//! in the same transaction as its rows, a refused file is audited too, a site picked for device
//! rows that name none is used for those rows only, and a user who must change their password
//! imports nothing. The page lists the columns each file must have.

use crate::support::http::{login, send, PASSWORD};
use backroom::db::platform::audit::Actor;
use backroom::db::platform::users::{self, NewUser};
use backroom::db::{engine::Db, fleet::sites};
use backroom::model::fleet::csv_columns::{CHECKS_HEADER, DEVICES_HEADER, SITES_HEADER};
use http::StatusCode;

const SITES: &str = "id,site_id,name,description,location,created_at\n\
                     901,site-import-1,Imported One,,Lisbon,2026-01-01T00:00:00Z\n";

fn upload(file_name: &str, bytes: &str, cookie: &str) -> http::Request<axum::body::Body> {
    crate::support::http::multipart("/import/upload", &[("kind", "sites.csv")], file_name, bytes.as_bytes(), cookie)
}

/// The new values of every `fleet.imported` audit row, oldest first.
async fn import_rows(db: &Db) -> Vec<serde_json::Value> {
    let sql = "select cast(new_values as text) from audit_log where event_type = 'fleet.imported' order by id";
    let texts: Vec<Option<String>> =
        backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar::<_, Option<String>>(sql)
            .fetch_all(pool)
            .await
            .unwrap());
    texts.into_iter().flatten().map(|t| serde_json::from_str(&t).unwrap()).collect()
}

#[tokio::test]
async fn imports_are_audited_with_their_file_counts_and_hash() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = crate::support::http::app_with_users(db.clone(), &["manager"]).await;
        let manager = login(&app, "manager").await;

        let page = crate::support::http::get(&app, "/import", Some(&manager)).await;
        for header in [&SITES_HEADER[..], &DEVICES_HEADER[..], &CHECKS_HEADER[..]] {
            assert!(page.body.contains(&header.join(",")), "the page lists {header:?}");
        }
        assert!(SITES.starts_with(&SITES_HEADER.join(",")), "the page's columns are the ones imports take");

        let done = send(&app, upload("my sites.csv", SITES, &manager)).await;
        let refused = send(&app, upload("broken.csv", "not,the,header\n", &manager)).await;

        assert_eq!(done.headers["location"], "/import?done=1");
        assert_eq!(refused.headers["location"], "/import?done=1", "a refused file still gets its report");
        assert!(sites::get_site(&db, "site-import-1").await.unwrap().is_some());
        let rows = import_rows(&db).await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0]["file"], "my sites.csv");
        assert_eq!((rows[0]["created"].as_u64(), rows[0]["applied"].as_bool()), (Some(1), Some(true)));
        let sha = backroom::db::engine::sha256_hex(SITES.as_bytes());
        assert_eq!(rows[0]["sha256"], sha.as_str());
        assert_eq!((rows[1]["file"].as_str(), rows[1]["applied"].as_bool()), (Some("broken.csv"), Some(false)));
    })
    .await;
}

#[tokio::test]
async fn a_user_who_must_change_their_password_imports_nothing() {
    crate::support::each_engine(|db: Db| async move {
        let (state, app) = crate::support::http::app_with_users(db.clone(), &[]).await;
        let new = NewUser {
            username: "fresh".into(),
            email: "fresh@example.com".into(),
            full_name: String::new(),
            password_hash: state.passwords.hash(PASSWORD.to_string()).await.unwrap(),
            role: "manager".into(),
            must_change_password: true,
        };
        users::create(&db, &Actor::default(), &new).await.unwrap();
        let cookie = login(&app, "fresh").await;

        let refused = send(&app, upload("sites.csv", SITES, &cookie)).await;

        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(sites::get_site(&db, "site-import-1").await.unwrap().is_none());
        assert!(import_rows(&db).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn devices_without_a_site_go_to_the_site_picked_on_the_page() {
    use backroom::db::fleet::device_page::get_device;
    crate::support::each_engine(|db: Db| async move {
        backroom::db::fleet::seed::demo_fleet(&db).await.unwrap();
        let (_, app) = crate::support::http::app_with_users(db.clone(), &["manager"]).await;
        let manager = login(&app, "manager").await;
        let devices =
            "id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config\n\
                       ,till-picked-1,Picked till,pos_terminal,,,,,,,\n\
                       ,till-named-1,Named till,pos_terminal,site-00001,,,,,,\n";
        let post = |site: &str, file: &str| {
            let fields = [("kind", "devices.csv"), ("site", site)];
            send(&app, crate::support::http::multipart("/import/upload", &fields, file, devices.as_bytes(), &manager))
        };

        let done = post(" site-00002 ", "tills.csv").await;
        assert_eq!(done.headers["location"], "/import?done=1");
        let picked = get_device(&db, "till-picked-1").await.unwrap().unwrap();
        let named = get_device(&db, "till-named-1").await.unwrap().unwrap();
        assert_eq!((picked.site.as_str(), named.site.as_str()), ("site-00002", "site-00001"));
        let audit = import_rows(&db).await;
        assert_eq!(audit[0]["site_for_rows_without_one"], "site-00002");

        let missing = post("site-99999", "missing.csv").await;
        assert_eq!(missing.headers["location"], "/import?done=1", "the report names the row");
        let audit = import_rows(&db).await;
        assert_eq!((audit[1]["applied"].as_bool(), audit[1]["errors"].as_u64()), (Some(false), Some(1)));

        let odd = post("site\u{7}", "again.csv").await;
        assert_eq!(odd.headers["location"], "/import?error=badsite", "a control character is refused");
        assert_eq!(import_rows(&db).await.len(), 2, "and nothing was imported");
    })
    .await;
}
