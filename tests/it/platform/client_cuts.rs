//! A client that leaves mid-render panics nothing: the real server binary serves pages to 16
//! clients at once, 500 of whose requests are cut after their first bytes, and its log must
//! hold no panic. (The renderer reads the page's reactive values after the request's owner is
//! gone; the engine plays no part, so this runs on SQLite.)
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PASSWORD: &str = "client-cuts-demo-password";
const PAGES: [&str; 6] =
    ["/devices", "/sites", "/devices/pos-terminal-000001", "/sites/site-00002", "/", "/admin/audit"];

fn backroom(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backroom"));
    command
        .args(["--config", concat!(env!("CARGO_MANIFEST_DIR"), "/Leptos.toml")])
        .env("BACKROOM_DATA_DIR", dir)
        .env("BACKROOM_DEMO_PASSWORD", PASSWORD)
        .env("BACKROOM_BACKUP_SCHEDULE", "false")
        .env("BACKROOM_MAINTENANCE_SCHEDULE", "false")
        .env("RUST_BACKTRACE", "0");
    command
}

/// Sends `request` and returns what came back, reading to the end or at most `keep` bytes
/// (`Some(0)`: the connection closes right after the request is sent).
fn exchange(port: u16, request: &str, keep: Option<usize>) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request.as_bytes())?;
    if keep == Some(0) {
        return Ok(Vec::new());
    }
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        answer.extend_from_slice(&buf[..n]);
        if n == 0 || keep.is_some_and(|k| answer.len() >= k) {
            return Ok(answer);
        }
    }
}

/// Waits until the server answers (bounded: it is started right before).
fn wait_until_up(port: u16, server: &mut Child) {
    for _ in 0..600 {
        assert!(server.try_wait().unwrap().is_none(), "the server exited at start");
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not start");
}

fn log_in(port: u16) -> String {
    let body = format!("username=admin&password={PASSWORD}");
    let request = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nSec-Fetch-Site: same-origin\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = String::from_utf8_lossy(&exchange(port, &request, None).unwrap()).to_string();
    let cookie = answer.lines().find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")));
    cookie.and_then(|c| c.split(';').next()).expect("a session cookie").to_string()
}

#[test]
fn five_hundred_requests_cut_mid_render_leave_no_panic() {
    let dir = std::env::temp_dir().join(format!("backroom-cuts-{}-{}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(backroom(&dir).args(["seed", "--demo"]).stdout(Stdio::null()).status().unwrap().success());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    let mut server = backroom(&dir)
        .arg("serve")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_until_up(port, &mut server);
    let cookie = log_in(port);

    let clients: Vec<_> = (0..16)
        .map(|client| {
            let cookie = cookie.clone();
            std::thread::spawn(move || {
                for i in 0..32 {
                    let page = PAGES[(client + i) % PAGES.len()];
                    let request = format!("GET {page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n");
                    // Half leave as soon as they asked (the page is being rendered), half after the
                    // first bytes of the answer; either way the connection is dropped mid-page.
                    let keep = if i % 2 == 0 { 0 } else { 1 + (i * 37) % 200 };
                    let _ = exchange(port, &request, Some(keep));
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let whole = exchange(
        port,
        &format!("GET /devices HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"),
        None,
    );
    let _ = server.kill();
    let _ = server.wait();

    let text = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(
        String::from_utf8_lossy(&whole.unwrap()).contains("pos-terminal-000001"),
        "the server still serves whole pages"
    );
    let panics: Vec<&str> = text.lines().filter(|l| l.contains("panicked")).collect();
    assert!(panics.is_empty(), "{} panics, first: {:?}", panics.len(), panics.first());
    std::fs::remove_dir_all(&dir).unwrap();
}
