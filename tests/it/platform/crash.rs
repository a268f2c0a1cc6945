//! DB-4, kill -9 durability, on both engines: a client writes without pause through the web (a
//! server function creating sites) and the device API (health checks); the server is SIGKILLed
//! at a random moment, the database is checked (SQLite's integrity_check), the server started
//! again, and every write the client saw acknowledged must be there. `BACKROOM_CRASH_TRIALS`
//! sets the number of kills per engine (20 in `make test`; `make crash-test TRIALS=200`).

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backroom::api::fleet::edit::CreateSite;
use backroom::db::platform::audit::Actor;
use backroom::db::{
    engine::Db,
    fleet::{api_tokens, seed},
};
use backroom::model::fleet::fleet_forms::SiteForm;
use leptos::server_fn::ServerFn;

/// One acknowledged write: a site id or a health check's endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Acked {
    Site(String),
    Check(String),
}

fn trials() -> usize {
    std::env::var("BACKROOM_CRASH_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(20)
}

/// Sends one request on a fresh connection; the status code, or `None` when the server is gone.
fn status_of(port: u16, request: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace().nth(1)?.parse().ok()
}

fn post(port: u16, path: &str, kind: &str, extra: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {kind}\r\nAccept: application/json\r\n\
         Sec-Fetch-Site: same-origin\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn start_server(url: &str, dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_backroom"))
        .args(["--config", concat!(env!("CARGO_MANIFEST_DIR"), "/Leptos.toml"), "serve"])
        .env("DATABASE_URL", url)
        .env("BACKROOM_DATA_DIR", dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROOM_BACKUP_SCHEDULE", "false")
        .env("BACKROOM_MAINTENANCE_SCHEDULE", "false")
        .env("BACKROOM_LOGIN_BURST_PER_CLIENT", "1000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (bounded) until the server answers its login page: it started cleanly.
fn wait_until_up(port: u16, server: &mut Child) {
    for _ in 0..600 {
        assert!(server.try_wait().unwrap().is_none(), "the server exited at start");
        let probe = format!("GET /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        if status_of(port, &probe) == Some(200) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not start");
}

fn log_in(port: u16) -> String {
    let body = format!("username=admin&password={}", crate::support::http::PASSWORD);
    let request = post(port, "/api/login", "application/x-www-form-urlencoded", "", &body);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let cookie = answer.lines().find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")));
    cookie.and_then(|c| c.split(';').next()).expect("a session cookie").to_string()
}

/// Writes until the server stops answering, alternating a site and a health check.
fn write_until_killed(
    port: u16,
    trial: usize,
    cookie: &str,
    token: &str,
    acked: &Mutex<Vec<Acked>>,
    stop: &AtomicBool,
) {
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let (write, request) = if n % 2 == 0 {
            let site_id = format!("crash-{trial}-{n}");
            let form = SiteForm { site_id: site_id.clone(), name: format!("Crash {trial} {n}"), ..Default::default() };
            let body = serde_qs::to_string(&CreateSite { form, then: None }).unwrap();
            let extra = format!("Cookie: {cookie}\r\n");
            (Acked::Site(site_id), post(port, CreateSite::PATH, "application/x-www-form-urlencoded", &extra, &body))
        } else {
            let endpoint = format!("/crash/{trial}/{n}");
            let body = format!(
                r#"{{"is_healthy": true, "response_time_ms": 5, "status_code": 200, "endpoint": "{endpoint}"}}"#
            );
            let extra = format!("Authorization: Bearer {token}\r\n");
            let path = "/api/v1/devices/pos-terminal-000001/health";
            (Acked::Check(endpoint), post(port, path, "application/json", &extra, &body))
        };
        match status_of(port, &request) {
            Some(code) if (200..400).contains(&code) => acked.lock().unwrap().push(write),
            Some(code) => panic!("write {write:?} answered {code}"),
            None => return,
        }
    }
}

/// Everything the database holds of the harness's writes.
async fn present(db: &Db) -> HashSet<Acked> {
    let sites: Vec<String> = backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar(
        "select site_id from sites where site_id like 'crash-%'"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    let checks: Vec<String> = backroom::db::engine::on_db!(db, |pool| sqlx::query_scalar(
        "select endpoint from health_checks where endpoint like '/crash/%'"
    )
    .fetch_all(pool)
    .await
    .unwrap());
    sites.into_iter().map(Acked::Site).chain(checks.into_iter().map(Acked::Check)).collect()
}

async fn sqlite_integrity(db: &Db) {
    if let Db::Sqlite(pool, ..) = db {
        let result: Vec<String> = sqlx::query_scalar("pragma integrity_check").fetch_all(pool).await.unwrap();
        assert_eq!(result, ["ok"], "integrity_check after a kill");
    }
}

/// One trial: start the server, write until a random moment, SIGKILL it; the acknowledged writes.
fn kill_while_writing(url: &str, dir: &std::path::Path, trial: usize, token: &str) -> Vec<Acked> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = start_server(url, dir, port);
    wait_until_up(port, &mut server);
    let cookie = log_in(port);
    let (acked, stop) = (Arc::new(Mutex::new(Vec::new())), Arc::new(AtomicBool::new(false)));
    let writer = {
        let (acked, stop, token) = (acked.clone(), stop.clone(), token.to_string());
        std::thread::spawn(move || write_until_killed(port, trial, &cookie, &token, &acked, &stop))
    };
    // The kill point is what this test varies: somewhere in the first 1.2 s of writing.
    std::thread::sleep(Duration::from_millis(100 + rand::random::<u64>() % 1100));
    server.kill().unwrap();
    server.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    acked
}

/// The server starts cleanly on the database the last kill left.
fn starts_cleanly(url: &str, dir: &std::path::Path) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = start_server(url, dir, port);
    wait_until_up(port, &mut server);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let state = crate::support::http::app_state(db.clone());
        crate::support::http::add_user(&state, "admin").await;
        let token = api_tokens::create_collector_token(&db, &Actor::default(), "crash").await.unwrap();
        let (url, dir) = (crate::support::db_url(&db), crate::support::temp_dir("crash"));
        let mut acked_total = 0;
        for trial in 0..trials() {
            let (url, dir, token) = (url.clone(), dir.clone(), token.clone());
            let acked =
                tokio::task::spawn_blocking(move || kill_while_writing(&url, &dir, trial, &token)).await.unwrap();

            sqlite_integrity(&db).await;
            let found = present(&db).await;
            let lost: Vec<&Acked> = acked.iter().filter(|a| !found.contains(a)).collect();
            assert!(
                lost.is_empty(),
                "trial {trial}: {} acknowledged writes lost: {:?}",
                lost.len(),
                &lost[..lost.len().min(5)]
            );
            acked_total += acked.len();
        }
        let (again_url, again_dir) = (url.clone(), dir.clone());
        tokio::task::spawn_blocking(move || starts_cleanly(&again_url, &again_dir)).await.unwrap();
        println!("{}: {} kills, {acked_total} acknowledged writes, 0 lost", db.engine(), trials());
        assert!(acked_total > trials(), "the client wrote while the server lived");
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}
