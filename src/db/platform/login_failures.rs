//! The per-account login failure limit, kept in the database so that every server sharing it
//! enforces one limit: 100 failures spread over two servers lock the account at 100, not 200.
//! Failures are counted per account and clock hour; the limit applies to a sliding hour,
//! estimated as this hour's count plus the share of the previous hour's that still lies within
//! the last 3600 s (the usual sliding-window counter, exact at the hour and never more than
//! one hour's limit in any 3600 s).
//!
//! An attempt reserves its slot before the password is checked (a conditional increment, so
//! concurrent guesses on any server cannot run more checks than the limit allows); a successful
//! login gives the slot back, a failure keeps it. An attempt cut off halfway keeps its slot,
//! which errs on the side of the account.
use crate::db::engine::{Db, DbResult, Sql, Value};

/// The window length in seconds.
pub const WINDOW_SECS: i64 = 3600;

/// A slot held by an attempt in flight; give it back with `release` if the login succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    account_key: String,
    window_start: i64,
}

/// Reserves one of `account_key`'s `limit` failures at `now_unix`, or says how many seconds
/// until one is free.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reserve(db: &Db, account_key: &str, limit: i64, now_unix: i64) -> DbResult<Result<Reservation, u64>> {
    let window_start = now_unix - now_unix.rem_euclid(WINDOW_SECS);
    let into_window = now_unix - window_start;
    let mut tx = db.begin_write().await?;
    let previous: Option<(i64,)> = tx
        .fetch_optional(Sql::with(
            "select failures from login_failures where account_key = $1 and window_start = $2",
            [Value::from(account_key), Value::from(window_start - WINDOW_SECS)],
        ))
        .await?;
    // The previous hour's failures that still fall within the last 3600 s, if spread evenly.
    let carried = previous.map_or(0, |(n,)| n * (WINDOW_SECS - into_window) / WINDOW_SECS);
    let allowance = limit - carried;
    let reserved: Option<(i64,)> = if allowance <= 0 {
        None
    } else {
        tx.fetch_optional(Sql::with(
            "insert into login_failures (account_key, window_start, failures) values ($1, $2, 1) \
             on conflict (account_key, window_start) do update set failures = login_failures.failures + 1 \
             where login_failures.failures < $3 returning failures",
            [Value::from(account_key), Value::from(window_start), Value::from(allowance)],
        ))
        .await?
    };
    tx.commit().await?;
    Ok(match reserved {
        Some(_) => Ok(Reservation { account_key: account_key.to_string(), window_start }),
        // Free again once this hour ends, at the latest (sooner if the carried share was the cause).
        None => Err(u64::try_from(WINDOW_SECS - into_window).unwrap_or(1).max(1)),
    })
}

/// Gives a reserved slot back: the attempt was not a failure.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn release(db: &Db, reservation: Reservation) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    tx.execute(Sql::with(
        "update login_failures set failures = failures - 1 \
         where account_key = $1 and window_start = $2 and failures > 0",
        [Value::from(reservation.account_key), Value::from(reservation.window_start)],
    ))
    .await?;
    tx.commit().await
}

/// Deletes the rows no limit looks at any more (older than the previous hour).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sweep(db: &Db, now_unix: i64) -> DbResult<u64> {
    let current = now_unix - now_unix.rem_euclid(WINDOW_SECS);
    let mut tx = db.begin_write().await?;
    let removed = tx
        .execute(Sql::with("delete from login_failures where window_start < $1", [Value::from(current - WINDOW_SECS)]))
        .await?;
    tx.commit().await?;
    Ok(removed)
}
