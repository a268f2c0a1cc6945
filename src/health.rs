//! The health report behind the admin page and `backroom check`: each check gives HEALTHY,
//! WARNING or CRITICAL with a sentence; the overall level is the worst of them.
use std::path::Path;

use crate::backup::catalog::{self, Tier};
use crate::db::{admin::health, engine::Db};
use crate::model::admin::health::{CheckLine, HealthReport, Level};
use crate::model::platform::time::Timestamp;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
/// Free disk below this is critical (DOMAIN.md); below 10 % a warning.
const CRITICAL_FREE_BYTES: u64 = 1_000_000_000;
/// A write-ahead log this large means checkpoints are not keeping up.
const WAL_WARNING_BYTES: u64 = 512 * 1024 * 1024;

fn line(name: &str, level: Level, detail: impl Into<String>) -> CheckLine {
    CheckLine { name: name.to_string(), level, detail: detail.into() }
}

/// Builds the whole report. A check that cannot run is itself critical.
pub async fn report(db: &Db, backup_dir: &Path, sqlite_file: Option<&Path>) -> HealthReport {
    let mut checks = Vec::new();
    match health::engine_version(db).await {
        Ok(v) => checks.push(line("Database", Level::Healthy, format!("connected: {v}"))),
        Err(e) => checks.push(line("Database", Level::Critical, format!("cannot query: {e}"))),
    }
    checks.push(schema_line(db).await);
    checks.extend(sqlite_lines(db, sqlite_file).await);
    checks.push(match health::orphans(db).await {
        Ok(found) if found.is_empty() => line("Orphans", Level::Healthy, "no row points at a missing parent"),
        Ok(found) => {
            let text: Vec<String> = found.iter().map(|(what, n)| format!("{n} {what}")).collect();
            line("Orphans", Level::Warning, text.join("; "))
        }
        Err(e) => line("Orphans", Level::Critical, format!("cannot check: {e}")),
    });
    let installed = health::installed_at(db).await.ok().flatten().unwrap_or_else(Timestamp::now);
    checks.extend(backup_lines(backup_dir, Timestamp::now().unix() - installed.unix()));
    checks.push(disk_line(backup_dir));
    checks.push(maintenance_line(db).await);
    let tables = health::tables(db).await.unwrap_or_default();
    HealthReport::new(db.engine(), checks, tables, Timestamp::now().rfc3339())
}

/// The last maintenance run and what it removed; a warning when the daily run is days late.
async fn maintenance_line(db: &Db) -> CheckLine {
    match crate::db::admin::maintenance::last_run(db).await {
        Ok(None) => line("Maintenance", Level::Healthy, "no run yet (daily in the server, or `backroom maintenance`)"),
        Ok(Some(run)) => {
            let age = Timestamp::now().unix() - run.started_at.unix();
            let text = format!(
                "last run {}: {} (longest write lock {} ms)",
                run.started_at.display(),
                run.summary,
                run.longest_lock_ms
            );
            line("Maintenance", if age > 3 * DAY { Level::Warning } else { Level::Healthy }, text)
        }
        Err(e) => line("Maintenance", Level::Critical, format!("cannot read the last run: {e}")),
    }
}

async fn schema_line(db: &Db) -> CheckLine {
    let latest = crate::db::engine::connect::latest_schema_version();
    match crate::db::engine::connect::schema_version(db).await {
        Ok(v) if v == latest => line("Schema", Level::Healthy, format!("version {v} (current)")),
        Ok(v) => {
            line("Schema", Level::Warning, format!("version {v}; this build expects {latest}: run `backroom migrate`"))
        }
        Err(e) => line("Schema", Level::Critical, format!("unknown: {e}")),
    }
}

async fn sqlite_lines(db: &Db, file: Option<&Path>) -> Vec<CheckLine> {
    let mut lines = Vec::new();
    match health::sqlite_checks(db).await {
        Ok(Some((integrity, dangling))) => {
            lines.push(if integrity == ["ok"] {
                line("Integrity", Level::Healthy, "integrity_check: ok")
            } else {
                line("Integrity", Level::Critical, format!("integrity_check: {}", integrity.join("; ")))
            });
            lines.push(if dangling == 0 {
                line("Foreign keys", Level::Healthy, "foreign_key_check: no violations")
            } else {
                line("Foreign keys", Level::Critical, format!("foreign_key_check: {dangling} violations"))
            });
        }
        Ok(None) => {}
        Err(e) => lines.push(line("Integrity", Level::Critical, format!("cannot check: {e}"))),
    }
    if let Some(file) = file {
        let mut wal = file.as_os_str().to_owned();
        wal.push("-wal");
        let bytes = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        let level = if bytes > WAL_WARNING_BYTES { Level::Warning } else { Level::Healthy };
        lines.push(line(
            "WAL",
            level,
            format!("{} in the write-ahead log", crate::model::admin::backup::human_bytes(bytes)),
        ));
    }
    lines
}

/// Freshness and counts per DOMAIN.md; a rule applies once the installation is old enough for it.
/// What is wrong with the backups in `dir` (none verified lately, a tier missing or short), as
/// the health report's Backups line says it; `None` when they are healthy.
pub async fn backup_problem(db: &Db, dir: &Path) -> Option<String> {
    let installed = health::installed_at(db).await.ok().flatten().unwrap_or_else(Timestamp::now);
    let lines = backup_lines(dir, Timestamp::now().unix() - installed.unix());
    lines.into_iter().find(|l| l.level != Level::Healthy).map(|l| l.detail)
}

fn backup_lines(dir: &Path, age_secs: i64) -> Vec<CheckLine> {
    let listed = catalog::list(dir).unwrap_or_default();
    let verified: Vec<_> = listed.iter().filter_map(|l| l.info.as_ref()).filter(|i| i.is_verified()).collect();
    let now = Timestamp::now().unix();
    let newest = |tier: Tier| {
        verified
            .iter()
            .filter(|i| i.tier == tier)
            .filter_map(|i| Timestamp::parse(&i.created_at))
            .map(|t| t.unix())
            .max()
    };
    let count = |tier: Tier| verified.iter().filter(|i| i.tier == tier).count();
    let mut problems = Vec::new();
    for (tier, within) in [(Tier::Hourly, 2 * HOUR), (Tier::Daily, 26 * HOUR), (Tier::Weekly, 8 * DAY)] {
        if age_secs > within && newest(tier).is_none_or(|t| now - t > within) {
            problems.push(format!("no {} backup in the last {} h", tier.as_str(), within / HOUR));
        }
    }
    for (tier, at_least, after) in [
        (Tier::Hourly, 6, 6 * HOUR),
        (Tier::Daily, 7, 7 * DAY),
        (Tier::Weekly, 4, 28 * DAY),
        (Tier::Monthly, 3, 92 * DAY),
    ] {
        if age_secs > after && count(tier) < at_least {
            problems.push(format!("{} {} backups (want {at_least})", count(tier), tier.as_str()));
        }
    }
    let newest_any = verified.iter().filter_map(|i| Timestamp::parse(&i.created_at)).map(|t| t.unix()).max();
    let summary = format!("{} verified of {} backups", verified.len(), listed.len());
    let stale = age_secs > 26 * HOUR && newest_any.is_none_or(|t| now - t > 26 * HOUR);
    vec![match (stale, problems.is_empty()) {
        (true, _) => line("Backups", Level::Critical, format!("{summary}; none verified in the last 26 h")),
        (false, true) => line("Backups", Level::Healthy, summary),
        (false, false) => line("Backups", Level::Warning, format!("{summary}; {}", problems.join("; "))),
    }]
}

fn disk_line(dir: &Path) -> CheckLine {
    let probe = if dir.exists() { dir.to_path_buf() } else { dir.parent().map(Path::to_path_buf).unwrap_or_default() };
    let probe = if probe.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { probe };
    match (fs4::available_space(&probe), fs4::total_space(&probe)) {
        (Ok(free), Ok(total)) if total > 0 => {
            let percent = free as f64 * 100.0 / total as f64;
            let text = format!(
                "{} free of {} ({percent:.0} %)",
                crate::model::admin::backup::human_bytes(free),
                crate::model::admin::backup::human_bytes(total)
            );
            let level = if free < CRITICAL_FREE_BYTES {
                Level::Critical
            } else if percent < 10.0 {
                Level::Warning
            } else {
                Level::Healthy
            };
            line("Disk", level, text)
        }
        _ => line("Disk", Level::Warning, "free space unknown"),
    }
}
