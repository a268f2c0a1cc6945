//! SQLite only (PostgreSQL has no WAL file of ours to manage): commits never run checkpoints,
//! a background task copies the WAL into the database instead.

use std::time::{Duration, Instant};

use backroom::db::{
    self,
    engine::{checkpoint, connect::DbOptions, Db},
    fleet::seed,
};

#[tokio::test]
async fn commits_leave_checkpoints_to_the_background_task() {
    let dir = crate::support::temp_dir("wal");
    let file = dir.join("wal.db");
    let options = DbOptions {
        url: format!("sqlite:{}", file.display()),
        max_connections: 4,
        acquire_timeout: Duration::from_secs(10),
    };
    let db = db::engine::connect::connect(&options).await.unwrap();
    let Db::Sqlite(pool, ..) = &db else { unreachable!("a sqlite: URL opens SQLite") };
    let automatic: i64 = sqlx::query_scalar("pragma wal_autocheckpoint").fetch_one(pool).await.unwrap();
    assert_eq!(automatic, 0, "no commit may stop to checkpoint");
    let size_before = std::fs::metadata(&file).unwrap().len();

    db::engine::connect::migrate(&db).await.unwrap();
    seed::demo_fleet(&db).await.unwrap();

    // The committed pages sit in the WAL until the task (every 200 ms) copies them over.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::metadata(&file).unwrap().len() <= size_before {
        assert!(Instant::now() < deadline, "the background task never checkpointed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The task may be checkpointing at this very moment; then ours is refused as busy.
    let done = loop {
        let done = checkpoint::checkpoint_once(pool).await.unwrap();
        if !done.busy {
            break done;
        }
        assert!(Instant::now() < deadline, "the background task held the checkpoint lock throughout");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(done.wal_frames > 0);
    assert_eq!(done.copied_frames, done.wal_frames, "with no reader, everything is copied");
    db.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
