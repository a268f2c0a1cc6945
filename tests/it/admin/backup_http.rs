//! Backup files over HTTP on both engines: uploads are verified before they are listed (and
//! refused otherwise), downloads are admin-only, exact and audited.

use crate::support::http::{get, login, send};
use backroom::backup::catalog::{self, Tier};
use backroom::backup::create;
use backroom::db::{engine::Db, fleet::seed, platform::audit};
use http::StatusCode;

fn multipart(file_name: &str, bytes: &[u8], cookie: &str) -> http::Request<axum::body::Body> {
    crate::support::http::multipart("/admin/backups/upload", &[], file_name, bytes, cookie)
}

#[tokio::test]
async fn uploads_are_verified_before_they_are_listed() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let (state, app) = crate::support::http::app_with_users(db.clone(), &["admin", "staff"]).await;
        let admin = login(&app, "admin").await;
        let elsewhere = std::env::temp_dir().join(format!("backroom-upload-src-{}", rand::random::<u32>()));
        let made = create::create(&db, &elsewhere, Tier::Manual, &|_, _| {}).await.unwrap();
        let good = std::fs::read(elsewhere.join(&made.file)).unwrap();

        let refused = send(&app, multipart("x.db.zst", b"not a backup at all", &admin)).await;
        assert_eq!(refused.headers["location"], "/admin/backups?upload=foreign");
        let truncated = send(&app, multipart("x.db.zst", &good[..good.len() / 2], &admin)).await;
        assert_eq!(truncated.headers["location"], "/admin/backups?upload=corrupt");
        let dir = state.config.backup_dir();
        assert!(catalog::list(&dir).unwrap().is_empty(), "nothing refused is listed");

        let staff = login(&app, "staff").await;
        assert_eq!(send(&app, multipart("x.db.zst", &good, &staff)).await.status, StatusCode::FORBIDDEN);
        let accepted = send(&app, multipart("mine.db.zst", &good, &admin)).await;
        assert_eq!(accepted.headers["location"], "/admin/backups?upload=ok");
        let listed = catalog::list(&dir).unwrap();
        assert_eq!(listed.len(), 1);
        let info = listed[0].info.clone().expect("a sidecar");
        assert!(info.is_verified() && info.tier == Tier::Uploaded);
        assert_eq!(info.sha256, made.sha256);
        assert_eq!(audit::count_events(&db, "backup.uploaded").await.unwrap(), 1);
        assert_eq!(audit::count_events(&db, "backup.upload_refused").await.unwrap(), 2);
        std::fs::remove_dir_all(&elsewhere).unwrap();
    })
    .await;
}

#[tokio::test]
async fn downloads_are_for_admins_exact_and_audited() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let (state, app) = crate::support::http::app_with_users(db.clone(), &["admin", "staff"]).await;
        let dir = state.config.backup_dir();
        let made = create::create(&db, &dir, Tier::Manual, &|_, _| {}).await.unwrap();
        let path = format!("/admin/backups/download/{}", made.file);

        let staff = login(&app, "staff").await;
        assert_eq!(get(&app, &path, Some(&staff)).await.status, StatusCode::FORBIDDEN);
        let admin = login(&app, "admin").await;
        for bad in ["..%2F..%2Fetc%2Fpasswd", "backroom.db", "nothing.db.zst"] {
            let r = get(&app, &format!("/admin/backups/download/{bad}"), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        }
        let r = get(&app, &path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers["content-disposition"].to_str().unwrap().contains(&made.file));
        let bytes = std::fs::read(dir.join(&made.file)).unwrap();
        assert_eq!(r.body.len(), String::from_utf8_lossy(&bytes).len(), "the whole file, streamed");
        assert_eq!(audit::count_events(&db, "backup.downloaded").await.unwrap(), 1);
    })
    .await;
}
