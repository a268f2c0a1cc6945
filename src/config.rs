//! Runtime configuration: the `[backroom]` section of Leptos.toml, then environment overrides.
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Every runtime setting. Defaults run on SQLite with zero setup.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:<file>` or `postgres://…`. Env: `DATABASE_URL`. Default: SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Folder for the SQLite database and backups. Env: `BACKROOM_DATA_DIR`.
    pub data_dir: PathBuf,
    /// Minutes without a request before a session ends. Env: `BACKROOM_SESSION_IDLE_MINUTES`.
    pub session_idle_minutes: i64,
    /// Hours after login when a session ends regardless. Env: `BACKROOM_SESSION_ABSOLUTE_HOURS`.
    pub session_absolute_hours: i64,
    /// Mark the session cookie `Secure` (set when served over TLS). Env: `BACKROOM_SECURE_COOKIES`.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    /// Env: `BACKROOM_TRUST_PROXY_HEADERS`.
    pub trust_proxy_headers: bool,
    /// Largest request body in bytes. Env: `BACKROOM_BODY_LIMIT_BYTES`.
    pub body_limit_bytes: usize,
    /// Seconds before a request is abandoned. Env: `BACKROOM_REQUEST_TIMEOUT_SECS`.
    pub request_timeout_secs: u64,
    /// Database pool size. Env: `BACKROOM_DB_MAX_CONNECTIONS`. Default: `default_pool_size()`.
    pub db_max_connections: u32,
    /// Seconds to wait for a pooled connection before answering 503. Env: `BACKROOM_DB_ACQUIRE_TIMEOUT_SECS`.
    pub db_acquire_timeout_secs: u64,
    /// Failed logins allowed per account per hour. Env: `BACKROOM_LOGIN_FAILURES_PER_HOUR`.
    pub login_failures_per_hour: usize,
    /// Login attempts one client address may make in a burst (then one per 3 s).
    /// Env: `BACKROOM_LOGIN_BURST_PER_CLIENT`.
    pub login_burst_per_client: u32,
    /// Log filter (tracing `EnvFilter` syntax). Env: `RUST_LOG`.
    pub log: String,
    /// Folder for backups; default `backups` in the data folder. Env: `BACKROOM_BACKUP_DIR`.
    pub backup_dir: Option<PathBuf>,
    /// Run the scheduled backup tiers in the server process. Env: `BACKROOM_BACKUP_SCHEDULE`.
    pub backup_schedule: bool,
    /// Largest backup file an admin may upload, in MiB. Env: `BACKROOM_BACKUP_UPLOAD_MIB`.
    pub backup_upload_mib: u64,
    /// Largest backup, in MiB once decompressed, that an upload, a verify or a restore unpacks
    /// (a small file can decompress to far more). Env: `BACKROOM_BACKUP_MAX_PLAIN_MIB`.
    pub backup_max_plain_mib: u64,
    /// Health checks older than this many days are removed by maintenance.
    /// Env: `BACKROOM_RETENTION_HEALTH_DAYS`.
    pub retention_health_days: i64,
    /// Audit rows older than this many days are removed by maintenance (the sweep audits itself).
    /// Env: `BACKROOM_RETENTION_AUDIT_DAYS`.
    pub retention_audit_days: i64,
    /// Run maintenance (retention sweeps, statistics) in the server once a day.
    /// Env: `BACKROOM_MAINTENANCE_SCHEDULE`.
    pub maintenance_schedule: bool,
    /// The hour (UTC, 0–23) of the daily maintenance run. Env: `BACKROOM_MAINTENANCE_HOUR`.
    pub maintenance_hour: u8,
    /// A bearer token that lets a scraper outside this host read `/metrics` (loopback needs
    /// none). At least 32 characters; unset, only loopback may. Env: `BACKROOM_METRICS_TOKEN`.
    pub metrics_token: Option<String>,
    /// Seconds a healthy check keeps a device online (10 s to a week).
    /// Env: `BACKROOM_ONLINE_WINDOW_SECS`.
    pub online_window_secs: i64,
    /// Let the demo fleet's terminals report health every 30 s from inside the server, so a demo
    /// stays alive (`make run` turns it on). Env: `BACKROOM_DEMO_REPORTER`.
    pub demo_reporter: bool,
    /// Seconds a device agent waits between fetches of its job work (1 s to an hour); a
    /// dispatched job waits twice this for its acknowledgement. Env: `BACKROOM_AGENT_POLL_SECS`.
    pub agent_poll_secs: i64,
    /// The time zone pages show times in for users who chose none ("Europe/Paris"; a name of
    /// the tz database). Env: `BACKROOM_TIME_ZONE`.
    pub time_zone: String,
}

/// Twice the CPU cores, at least 4. More connections than that only queue in the kernel
/// instead of in the pool: on 2 cores with 16 PostgreSQL connections a page's p99 was 17–47 ms
/// under 16 concurrent clients, with 4 it was 11–15 ms at the same throughput.
pub fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            data_dir: PathBuf::from("data"),
            session_idle_minutes: 30,
            session_absolute_hours: 8,
            secure_cookies: false,
            trust_proxy_headers: false,
            body_limit_bytes: 2 * 1024 * 1024,
            request_timeout_secs: 30,
            db_max_connections: default_pool_size(),
            db_acquire_timeout_secs: 3,
            login_failures_per_hour: 100,
            login_burst_per_client: 20,
            log: "info".to_string(),
            backup_dir: None,
            backup_schedule: true,
            backup_upload_mib: 1024,
            backup_max_plain_mib: 64 * 1024,
            retention_health_days: 90,
            retention_audit_days: 365,
            maintenance_schedule: true,
            maintenance_hour: 3,
            metrics_token: None,
            online_window_secs: crate::model::fleet::liveness::DEFAULT_WINDOW_SECS,
            demo_reporter: false,
            agent_poll_secs: 30,
            time_zone: "UTC".to_string(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &crate::db::engine::connect::redact_url(&self.database_url()))
            .field("data_dir", &self.data_dir)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy_headers", &self.trust_proxy_headers)
            .finish_non_exhaustive()
    }
}

/// The environment variables that override the file, for `--help`.
pub const ENV_HELP: &str = "Environment (overrides Leptos.toml [backroom]):
  DATABASE_URL                      sqlite:<file> or postgres://user@host/db
  BACKROOM_DATA_DIR                 data folder (default: data)
  BACKROOM_SESSION_IDLE_MINUTES     idle timeout (default: 30)
  BACKROOM_SESSION_ABSOLUTE_HOURS   absolute timeout (default: 8)
  BACKROOM_SECURE_COOKIES           true when served over TLS
  BACKROOM_TRUST_PROXY_HEADERS      true to read X-Forwarded-For
  BACKROOM_BODY_LIMIT_BYTES         request body limit (default: 2 MiB)
  BACKROOM_REQUEST_TIMEOUT_SECS     request timeout (default: 30)
  BACKROOM_DB_MAX_CONNECTIONS       pool size (default: twice the CPU cores, at least 4)
  BACKROOM_DB_ACQUIRE_TIMEOUT_SECS  wait for a connection before 503 (default: 3)
  BACKROOM_LOGIN_FAILURES_PER_HOUR  per-account failed logins (default: 100)
  BACKROOM_LOGIN_BURST_PER_CLIENT   login attempts per client address in a burst (default: 20)
  BACKROOM_BACKUP_DIR               backup folder (default: <data dir>/backups)
  BACKROOM_BACKUP_SCHEDULE          false turns the scheduled backups off (default: true)
  BACKROOM_BACKUP_UPLOAD_MIB        largest backup upload (default: 1024)
  BACKROOM_BACKUP_MAX_PLAIN_MIB     largest backup once unpacked (default: 65536)
  BACKROOM_RETENTION_HEALTH_DAYS    keep health checks this many days (default: 90)
  BACKROOM_RETENTION_AUDIT_DAYS     keep audit rows this many days (default: 365)
  BACKROOM_MAINTENANCE_SCHEDULE     false turns the daily maintenance off (default: true)
  BACKROOM_MAINTENANCE_HOUR         UTC hour of the daily maintenance (default: 3)
  BACKROOM_METRICS_TOKEN            bearer token for /metrics from other hosts (32+ characters)
  BACKROOM_ONLINE_WINDOW_SECS       a healthy check keeps a device online this long (default: 120)
  BACKROOM_DEMO_REPORTER            true: the demo terminals report health every 30 s
  RUST_LOG                          log filter (default: info)
  LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT  listen address and static root";

#[derive(Deserialize, Default)]
struct FileSections {
    backroom: Option<Config>,
}

impl Config {
    /// Reads `path` (missing file → defaults), then applies environment overrides.
    pub fn load(path: &Path) -> Result<Config, String> {
        let mut config = match std::fs::read_to_string(path) {
            Ok(text) => {
                let sections: FileSections = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                sections.backroom.unwrap_or_default()
            }
            Err(_) => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    /// Applies overrides from `get` (the environment in production, a map in tests).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        fn parse<T: std::str::FromStr>(name: &str, value: String) -> Result<T, String> {
            value.trim().parse().map_err(|_| format!("{name}: cannot read {value:?}"))
        }
        if let Some(v) = get("DATABASE_URL").filter(|v| !v.trim().is_empty()) {
            self.database_url = Some(v);
        }
        if let Some(v) = get("BACKROOM_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        macro_rules! env_field {
            ($field:ident, $name:literal) => {
                if let Some(v) = get($name) {
                    self.$field = parse($name, v)?;
                }
            };
        }
        env_field!(session_idle_minutes, "BACKROOM_SESSION_IDLE_MINUTES");
        env_field!(session_absolute_hours, "BACKROOM_SESSION_ABSOLUTE_HOURS");
        env_field!(secure_cookies, "BACKROOM_SECURE_COOKIES");
        env_field!(trust_proxy_headers, "BACKROOM_TRUST_PROXY_HEADERS");
        env_field!(body_limit_bytes, "BACKROOM_BODY_LIMIT_BYTES");
        env_field!(request_timeout_secs, "BACKROOM_REQUEST_TIMEOUT_SECS");
        env_field!(db_max_connections, "BACKROOM_DB_MAX_CONNECTIONS");
        env_field!(db_acquire_timeout_secs, "BACKROOM_DB_ACQUIRE_TIMEOUT_SECS");
        env_field!(login_failures_per_hour, "BACKROOM_LOGIN_FAILURES_PER_HOUR");
        env_field!(login_burst_per_client, "BACKROOM_LOGIN_BURST_PER_CLIENT");
        env_field!(backup_schedule, "BACKROOM_BACKUP_SCHEDULE");
        env_field!(backup_upload_mib, "BACKROOM_BACKUP_UPLOAD_MIB");
        env_field!(backup_max_plain_mib, "BACKROOM_BACKUP_MAX_PLAIN_MIB");
        env_field!(retention_health_days, "BACKROOM_RETENTION_HEALTH_DAYS");
        env_field!(retention_audit_days, "BACKROOM_RETENTION_AUDIT_DAYS");
        env_field!(maintenance_schedule, "BACKROOM_MAINTENANCE_SCHEDULE");
        env_field!(maintenance_hour, "BACKROOM_MAINTENANCE_HOUR");
        env_field!(online_window_secs, "BACKROOM_ONLINE_WINDOW_SECS");
        env_field!(demo_reporter, "BACKROOM_DEMO_REPORTER");
        env_field!(agent_poll_secs, "BACKROOM_AGENT_POLL_SECS");
        if !(1..=3600).contains(&self.agent_poll_secs) {
            return Err("agent_poll_secs: use 1 to 3600 seconds".to_string());
        }
        env_field!(time_zone, "BACKROOM_TIME_ZONE");
        if crate::time_zone::zone_named(&self.time_zone).is_none() {
            return Err(format!("time_zone: {:?} is not a zone of the tz database, like Europe/Paris", self.time_zone));
        }
        if !crate::model::fleet::liveness::WINDOW_BOUNDS.contains(&self.online_window_secs) {
            return Err("online_window_secs: use 10 to 604800 seconds".to_string());
        }
        if let Some(v) = get("BACKROOM_BACKUP_DIR").filter(|v| !v.trim().is_empty()) {
            self.backup_dir = Some(PathBuf::from(v));
        }
        if let Some(v) = get("BACKROOM_METRICS_TOKEN").filter(|v| !v.trim().is_empty()) {
            self.metrics_token = Some(v.trim().to_string());
        }
        if let Some(token) = &self.metrics_token {
            if token.chars().count() < 32 {
                return Err("metrics_token: use at least 32 characters".to_string());
            }
        }
        if let Some(v) = get("RUST_LOG") {
            self.log = v;
        }
        Ok(())
    }

    /// The database URL, defaulting to `backroom.db` in the data folder.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("backroom.db").display()))
    }

    pub fn db_options(&self) -> crate::db::engine::connect::DbOptions {
        crate::db::engine::connect::DbOptions {
            url: self.database_url(),
            max_connections: self.db_max_connections.max(1),
            acquire_timeout: Duration::from_secs(self.db_acquire_timeout_secs.max(1)),
        }
    }

    /// The SQLite database file, when the database is SQLite.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        let url = self.database_url();
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
    }

    /// `backup_max_plain_mib` in bytes.
    pub fn backup_max_plain_bytes(&self) -> u64 {
        self.backup_max_plain_mib.saturating_mul(1024 * 1024)
    }

    /// The maintenance sweeps' ages.
    pub fn retention(&self) -> crate::maintenance::Retention {
        crate::maintenance::Retention {
            health_check_days: self.retention_health_days.max(1),
            audit_days: self.retention_audit_days.max(1),
            session_absolute_secs: self.absolute_session_secs(),
        }
    }

    /// Where backups live.
    pub fn backup_dir(&self) -> PathBuf {
        self.backup_dir.clone().unwrap_or_else(|| self.data_dir.join("backups"))
    }

    pub fn absolute_session_secs(&self) -> i64 {
        self.session_absolute_hours.max(1) * 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_values_and_bad_numbers_are_named() {
        let mut c: Config =
            toml::from_str::<FileSections>("[backroom]\nsession_idle_minutes = 10\n").unwrap().backroom.unwrap();
        c.apply_env(|k| (k == "BACKROOM_SESSION_IDLE_MINUTES").then(|| "45".to_string())).unwrap();
        assert_eq!(c.session_idle_minutes, 45);
        let err = c.apply_env(|k| (k == "BACKROOM_REQUEST_TIMEOUT_SECS").then(|| "soon".to_string()));
        assert!(err.unwrap_err().contains("BACKROOM_REQUEST_TIMEOUT_SECS"));
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        assert_eq!(Config::default().database_url(), "sqlite:data/backroom.db");
    }
}
