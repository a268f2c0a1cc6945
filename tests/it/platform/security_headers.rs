//! Response headers through the real router: a page's CSP admits only the scripts that carry
//! this render's nonce (no 'unsafe-inline'), other responses admit no inline script, and HSTS
//! is sent when the site is served over TLS.

use crate::support::http::{get, login};
use backroom::config::Config;
use backroom::context::state::AppState;
use backroom::db::engine::Db;

fn script_src(policy: &str) -> String {
    policy.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap_or_default().to_string()
}

#[tokio::test]
async fn pages_allow_only_their_own_nonced_scripts() {
    crate::support::each_engine(|db: Db| async move {
        let (_, app) = crate::support::http::app_with_users(db, &["staff"]).await;
        let staff = login(&app, "staff").await;
        for (path, cookie) in
            [("/", Some(&staff)), ("/sites", Some(&staff)), ("/no-such-page", Some(&staff)), ("/login", None)]
        {
            let page = get(&app, path, cookie.map(String::as_str)).await;
            let policy = page.headers["content-security-policy"].to_str().unwrap().to_string();
            let scripts = script_src(&policy);

            assert!(!scripts.contains("unsafe-inline"), "{path}: {policy}");
            let nonce = scripts.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).expect("a nonce");
            assert!(nonce.len() >= 16, "{path}: {nonce}");
            let tags: Vec<&str> =
                page.body.split("<script").skip(1).map(|rest| rest.split('>').next().unwrap_or_default()).collect();
            assert!(!tags.is_empty(), "{path} has its hydration script");
            let marked = format!("nonce=\"{nonce}\"");
            assert!(tags.iter().all(|t| t.contains(&marked)), "{path}: a script without the nonce: {tags:?}");
        }
        let again = get(&app, "/", Some(&staff)).await;
        let first = get(&app, "/", Some(&staff)).await;
        assert_ne!(
            again.headers["content-security-policy"], first.headers["content-security-policy"],
            "fresh each time"
        );
    })
    .await;
}

#[tokio::test]
async fn other_responses_admit_no_inline_script_and_hsts_follows_tls() {
    crate::support::each_engine(|db: Db| async move {
        // The site root is `public/` so the static file exists before any build (a fresh clone
        // runs these tests before `cargo leptos build` has made target/site).
        let mut leptos = leptos::config::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
        leptos.site_root = "public".into();
        let config = Config { backup_schedule: false, ..Config::default() };
        let plain = backroom::server::router::build(AppState::new(db.clone(), config, leptos));
        let favicon = get(&plain, "/favicon.svg", None).await;
        assert_eq!(favicon.status, 200, "the static file is served");
        assert_eq!(
            script_src(favicon.headers["content-security-policy"].to_str().unwrap()),
            "script-src 'self' 'wasm-unsafe-eval'"
        );
        assert!(favicon.headers.get("strict-transport-security").is_none());
        assert_eq!(favicon.headers["cache-control"], "no-cache", "an asset with no version in its path is checked");

        let leptos = leptos::config::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
        let config = Config { secure_cookies: true, backup_schedule: false, ..Config::default() };
        let tls = backroom::server::router::build(AppState::new(db, config, leptos));
        let login_page = get(&tls, "/login", None).await;
        let hsts = login_page.headers["strict-transport-security"].to_str().unwrap();
        assert!(hsts.starts_with("max-age=63072000"), "{hsts}");
    })
    .await;
}
