//! Maintenance (DOMAIN.md Platform, SECURITY.md DB-6): retention sweeps of old health checks,
//! old audit rows and expired sessions, in chunks whose write transactions stay short, then
//! the engine's statistics and free pages. `backroom maintenance` and the server's daily run
//! both call `run`; each run is recorded (the health page shows the last) and audits itself.
use std::time::{Duration, Instant};

use crate::db::admin::maintenance::{self as statements, Chunk, MaintenanceRun};
use crate::db::engine::{Db, DbResult};
use crate::db::platform::audit::Actor;
use crate::model::platform::time::Timestamp;

/// Rows one chunk deletes at most. At scale 10 a sweep whose chunks grew to 20,000 held the
/// lock 99 ms (SQLite) and 104 ms (PostgreSQL) at its longest; 5,000 is 10–40 ms here.
const CHUNK_ROWS: i64 = 5_000;
/// Rows the first check chunk deletes (the cache is cold), doubling while chunks stay quick.
const FIRST_ROWS: i64 = 1_000;
/// A chunk that held the lock longer than this makes the next one smaller.
const LOCK_TARGET: Duration = Duration::from_millis(50);
/// Device ids a check chunk starts with; the span grows while chunks stay quick.
const FIRST_SPAN: i64 = 1_024;
/// Pages given back per incremental-vacuum step (8 MB of 4 KiB pages).
const VACUUM_PAGES: i64 = 2_000;

/// How old rows may grow before the sweep removes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub health_check_days: i64,
    pub audit_days: i64,
    pub session_absolute_secs: i64,
}

/// The longest chunk so far and how many there were, kept while the sweeps run.
#[derive(Default)]
struct Longest(Duration, i64);

impl Longest {
    fn saw(&mut self, chunk: Chunk) -> Chunk {
        self.0 = self.0.max(chunk.held);
        self.1 += 1;
        chunk
    }
}

/// Runs every sweep and the statistics at `now`, records the run and audits it.
pub async fn run(db: &Db, retention: Retention, now: Timestamp, actor: &Actor) -> DbResult<MaintenanceRun> {
    let mut longest = Longest::default();
    let checks_cutoff = cutoff(now, retention.health_check_days);
    let checks_removed = match checks_cutoff {
        Some(before) => sweep_checks(db, before, &mut longest).await?,
        None => 0,
    };
    let audit_cutoff = cutoff(now, retention.audit_days);
    let (audit_removed, audit_span) = match audit_cutoff {
        Some(before) => sweep_audit(db, before, &mut longest).await?,
        None => (0, None),
    };
    let started = Instant::now();
    let sessions_removed = crate::db::platform::sessions::sweep(db, now, retention.session_absolute_secs).await?;
    longest.0 = longest.0.max(started.elapsed());
    statements::refresh_statistics(db).await?;
    let vacuum = give_back_free_pages(db, &mut longest).await?;
    let summary = summary(checks_removed, audit_removed, sessions_removed, vacuum, db.engine());
    let run = MaintenanceRun {
        started_at: now,
        finished_at: Timestamp::now(),
        checks_removed: checks_removed as i64,
        audit_removed: audit_removed as i64,
        sessions_removed: sessions_removed as i64,
        longest_lock_ms: longest.0.as_millis() as i64,
        chunks: longest.1,
        summary,
    };
    let values = serde_json::json!({
        "health_checks_removed": checks_removed,
        "health_checks_before": checks_cutoff.map(|t| t.rfc3339()),
        "audit_rows_removed": audit_removed,
        "audit_rows_before": audit_cutoff.map(|t| t.rfc3339()),
        "audit_rows_from": audit_span.map(|s| s.0.rfc3339()),
        "audit_rows_to": audit_span.map(|s| s.1.rfc3339()),
        "sessions_removed": sessions_removed,
        "longest_lock_ms": run.longest_lock_ms,
        "chunks": run.chunks,
    });
    statements::record_run(db, actor, &run, values).await?;
    Ok(run)
}

/// Deletes health checks older than `cutoff`, walking the devices' ids in spans from one that
/// exists: a chunk removes at most `rows` checks; a span is left when a chunk finds fewer, and
/// spans and chunks grow or shrink with how long their chunks held the lock.
async fn sweep_checks(db: &Db, cutoff: Timestamp, longest: &mut Longest) -> DbResult<u64> {
    let (mut from, mut span, mut rows, mut removed) = (0i64, FIRST_SPAN, FIRST_ROWS, 0u64);
    while let Some(start) = statements::next_device_pk(db, from).await? {
        let to = start.saturating_add(span - 1);
        let chunk = longest.saw(statements::delete_old_checks(db, start, to, cutoff, rows).await?);
        removed += chunk.removed;
        let span_done = (chunk.removed as i64) < rows;
        if chunk.held > LOCK_TARGET {
            rows = (rows / 2).max(100);
            span = (span / 2).max(1);
        } else if chunk.held < LOCK_TARGET / 4 {
            rows = (rows * 2).min(CHUNK_ROWS);
            span = span.saturating_mul(2).min(1 << 20);
        }
        if span_done {
            if to == i64::MAX {
                break;
            }
            from = to + 1;
        } else {
            from = start;
        }
        statements::settle_wal(db).await?;
        // Other requests' writes queue for the same lock: let them in between chunks.
        tokio::task::yield_now().await;
    }
    Ok(removed)
}

/// The moment `days` before `now`; `None` when that is before the calendar begins (a retention
/// of "forever", say 9,999,999 days), and then nothing is old enough to remove.
fn cutoff(now: Timestamp, days: i64) -> Option<Timestamp> {
    let secs = days.max(1).checked_mul(86_400)?;
    Timestamp::from_unix(now.unix().checked_sub(secs)?).filter(|t| t.rfc3339().len() == 20)
}

/// Gives free pages back in steps of `VACUUM_PAGES`: how many, or `None` when the file keeps
/// none for it.
async fn give_back_free_pages(db: &Db, longest: &mut Longest) -> DbResult<Option<i64>> {
    if !statements::keeps_free_pages(db).await? {
        return Ok(None);
    }
    let mut freed = 0;
    while let Some(step) = statements::give_back_free_pages(db, VACUUM_PAGES).await? {
        freed += longest.saw(step).removed as i64;
        statements::settle_wal(db).await?;
        tokio::task::yield_now().await;
    }
    Ok(Some(freed))
}

/// Deletes audit rows older than `cutoff`, oldest first; returns how many and their time span.
async fn sweep_audit(
    db: &Db,
    cutoff: Timestamp,
    longest: &mut Longest,
) -> DbResult<(u64, Option<(Timestamp, Timestamp)>)> {
    let (mut removed, mut span): (u64, Option<(Timestamp, Timestamp)>) = (0, None);
    loop {
        let (chunk, chunk_span) = statements::delete_old_audit(db, cutoff, CHUNK_ROWS).await?;
        let chunk = longest.saw(chunk);
        removed += chunk.removed;
        if let Some((first, last)) = chunk_span {
            span = Some((span.map_or(first, |s| s.0.min(first)), span.map_or(last, |s| s.1.max(last))));
        }
        if (chunk.removed as i64) < CHUNK_ROWS {
            return Ok((removed, span));
        }
        statements::settle_wal(db).await?;
        tokio::task::yield_now().await;
    }
}

/// One line for the health page and the CLI.
fn summary(checks: u64, audit: u64, sessions: u64, vacuum: Option<i64>, engine: &str) -> String {
    let upkeep = match (engine, vacuum) {
        ("postgres", _) => "statistics refreshed (ANALYZE)".to_string(),
        (_, Some(pages)) => format!("PRAGMA optimize; {pages} free pages given back"),
        (_, None) => {
            "PRAGMA optimize; free pages are kept (run `backroom maintenance --vacuum` once to give them back)"
                .to_string()
        }
    };
    format!(
        "removed {} health checks, {} audit rows, {}; {upkeep}",
        thousands(checks),
        thousands(audit),
        plural(sessions, "expired session", "expired sessions")
    )
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retention_past_the_calendar_removes_nothing() {
        let now = Timestamp::parse("2026-12-05T03:00:00Z").unwrap();
        assert_eq!(cutoff(now, 90).map(|t| t.rfc3339()).as_deref(), Some("2026-09-06T03:00:00Z"));
        assert_eq!(cutoff(now, 9_999_999), None);
        assert_eq!(cutoff(now, i64::MAX), None);
    }

    #[test]
    fn summaries_read_as_sentences() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
        let line = summary(1_000_000, 3, 1, Some(0), "sqlite");
        assert_eq!(line, "removed 1,000,000 health checks, 3 audit rows, 1 expired session; PRAGMA optimize; 0 free pages given back");
    }
}
