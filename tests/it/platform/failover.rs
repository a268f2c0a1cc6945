//! Real `backroom serve` processes: two on one PostgreSQL database name one scheduler leader
//! in `/readyz`, and when the leader is killed with SIGKILL the other takes the lock within 30 s;
//! a second server on one SQLite file stops at start with a message.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backroom::db::engine::Db;

/// How long a server may take to start, and a survivor to take over (the bound).
const START: Duration = Duration::from_secs(30);
const TAKEOVER: Duration = Duration::from_secs(30);
/// Between two looks at a process we do not control.
const POLL: Duration = Duration::from_millis(100);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn serve(url: &str, dir: &std::path::Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backroom"));
    command
        .args(["--config", concat!(env!("CARGO_MANIFEST_DIR"), "/Leptos.toml"), "serve"])
        .env("DATABASE_URL", url)
        .env("BACKROOM_DATA_DIR", dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROOM_BACKUP_SCHEDULE", "false")
        .env("BACKROOM_MAINTENANCE_SCHEDULE", "false")
        .env("RUST_LOG", "error");
    command
}

/// `/readyz`'s JSON, or `None` while the server does not answer.
fn readyz(port: u16) -> Option<serde_json::Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    serde_json::from_str(answer.split("\r\n\r\n").nth(1)?).ok()
}

fn leads(port: u16) -> Option<bool> {
    readyz(port)?.get("scheduler_leader")?.as_bool()
}

/// Waits (bounded) until `done` holds, looking every `POLL`.
fn within(bound: Duration, what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < bound, "{what}: not within {bound:?}");
        std::thread::sleep(POLL);
    }
    started.elapsed()
}

#[tokio::test]
async fn when_the_leader_is_killed_the_other_server_takes_over_within_30_s() {
    crate::support::postgres_only(|db: Db| async move {
        let (url, dir) = (crate::support::db_url(&db), crate::support::temp_dir("failover"));
        let ports = [free_port(), free_port()];
        let mut servers: Vec<Child> = ports
            .iter()
            .map(|p| serve(&url, &dir, *p).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap())
            .collect();
        within(START, "one leader among two servers", || {
            let both = ports.map(leads);
            both.iter().all(Option::is_some) && both.iter().filter(|l| **l == Some(true)).count() == 1
        });
        let leader = ports.iter().position(|p| leads(*p) == Some(true)).unwrap();
        let survivor = 1 - leader;
        assert_eq!(readyz(ports[survivor]).unwrap()["change_listener"], "connected");

        servers[leader].kill().unwrap();
        servers[leader].wait().unwrap();
        let took = within(TAKEOVER, "the survivor takes over", || leads(ports[survivor]) == Some(true));
        eprintln!("the survivor took the scheduler lock {} ms after the kill", took.as_millis());
        servers[survivor].kill().unwrap();
        servers[survivor].wait().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    })
    .await;
}

#[tokio::test]
async fn a_second_server_on_one_sqlite_file_stops_with_a_message() {
    let dir = crate::support::temp_dir("one-sqlite-server");
    let url = format!("sqlite:{}", dir.join("backroom.db").display());
    let (first_port, second_port) = (free_port(), free_port());
    let mut first = serve(&url, &dir, first_port).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    within(START, "the first server answers", || readyz(first_port).is_some());

    let second = serve(&url, &dir, second_port).stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap();
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "the second server exits");
    assert!(said.contains(&format!("process {}", first.id())), "{said}");
    assert!(said.contains("one server at a time"), "{said}");
    assert!(readyz(first_port).is_some(), "the first one serves on");

    first.kill().unwrap();
    first.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
