//! Files a restore must refuse (truncated, corrupted, foreign, future schema) leave the live
//! database untouched (byte for byte on SQLite); a backup killed at any moment leaves only
//! whole, verifiable backups and `.tmp` files.
mod common;

use std::io::Write;
use std::path::Path;

use backroom::backup::catalog::Tier;
use backroom::backup::restore::restore;
use backroom::backup::{container, create, files, BackupError};
use backroom::db::{seed, Db};

fn zstd_of(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// A good backup whose manifest claims schema version 999.
async fn future_schema(good: &Path, dir: &Path) -> Vec<u8> {
    let plain = dir.join("future.db");
    files::decompress(good, Some(&plain), u64::MAX).unwrap();
    let mut conn = container::open_rw(&plain).await.unwrap();
    let mut manifest = container::read_manifest(&mut conn).await.unwrap();
    manifest.schema_version = 999;
    container::write_manifest(&mut conn, &manifest).await.unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    zstd_of(&std::fs::read(&plain).unwrap())
}

/// An ordinary SQLite database, compressed like a backup: not ours.
async fn foreign_sqlite(dir: &Path) -> Vec<u8> {
    let path = dir.join("foreign.db");
    let mut conn = container::open_rw(&path).await.unwrap();
    sqlx::query("create table notes (id integer primary key, body text)").execute(&mut conn).await.unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    zstd_of(&std::fs::read(&path).unwrap())
}

/// What must not change: on SQLite the database file's bytes, on PostgreSQL every row.
async fn fingerprint(db: &Db, dir: &Path) -> String {
    match db {
        Db::Sqlite(pool, _) => {
            sqlx::query("pragma wal_checkpoint(truncate)").execute(pool).await.unwrap();
            let file = pool.connect_options().get_filename().to_path_buf();
            files::sha256_file(&file).unwrap()
        }
        Db::Postgres(_) => {
            let path = dir.join(format!("fp-{}.tmp", rand::random::<u32>()));
            let m = create::snapshot(db, &path, backroom::model::Timestamp::now(), &common::quiet()).await.unwrap();
            std::fs::remove_file(&path).unwrap();
            serde_json::to_string(&m.tables).unwrap()
        }
    }
}

#[tokio::test]
async fn bad_files_are_refused_and_the_live_database_is_unchanged() {
    common::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = common::temp_dir("refuse");
        let good = dir.join(create::create(&db, &dir, Tier::Manual, &common::quiet()).await.unwrap().file);
        let bytes = std::fs::read(&good).unwrap();
        let mut flipped = bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x5a;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("truncated", bytes[..bytes.len() * 2 / 3].to_vec()),
            ("corrupted", flipped),
            ("foreign-bytes", b"PK\x03\x04 a zip file, not a backup".to_vec()),
            ("foreign-text", zstd_of(b"hello, this is not a database")),
            ("foreign-sqlite", foreign_sqlite(&dir).await),
            ("future-schema", future_schema(&good, &dir).await),
            ("empty", Vec::new()),
        ];
        let before = fingerprint(&db, &dir).await;
        let listed_before = backroom::backup::catalog::list(&dir).unwrap().len();
        for (name, content) in cases {
            let path = dir.join(format!("{name}.db.zst"));
            std::fs::File::create(&path).unwrap().write_all(&content).unwrap();
            let refused = restore(&db, &path, &dir, None, &common::quiet()).await.expect_err(name);
            let expected = match name {
                "truncated" | "corrupted" => matches!(refused, BackupError::Corrupt(_)),
                "future-schema" => matches!(refused, BackupError::FutureSchema { found: 999, .. }),
                _ => matches!(refused, BackupError::NotABackup),
            };
            assert!(expected, "{name}: {refused:?}");
            assert!(!refused.to_string().is_empty());
            std::fs::remove_file(&path).unwrap();
        }
        assert_eq!(fingerprint(&db, &dir).await, before, "the live database is unchanged");
        let listed = backroom::backup::catalog::list(&dir).unwrap().len();
        assert_eq!(listed, listed_before, "no pre-restore backup was taken for a refused file");
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_backup_killed_at_any_moment_leaves_only_whole_backups_and_temp_files() {
    common::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = common::temp_dir("killed");
        let url = common::db_url(&db);
        let run = |kill_after_ms: Option<u64>| {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_backroom"))
                .args(["--config", "/nonexistent.toml", "backup", "create"])
                .env("DATABASE_URL", &url)
                .env("BACKROOM_BACKUP_DIR", &dir)
                .env("RUST_LOG", "error")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let started = std::time::Instant::now();
            if let Some(ms) = kill_after_ms {
                // The kill point itself is what this test varies; nothing waits on a race.
                std::thread::sleep(std::time::Duration::from_millis(ms));
                let _ = child.kill();
            }
            child.wait().unwrap();
            started.elapsed().as_millis() as u64
        };
        let full = run(None).max(50);
        for step in 1..=8u64 {
            run(Some(full * step / 9));
        }
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if files::is_temp(&name) {
                continue;
            }
            if let Some(backup) = name.strip_suffix(".json") {
                assert!(dir.join(backup).exists(), "a sidecar without its backup: {name}");
                continue;
            }
            assert!(name.ends_with(".db.zst"), "unexpected file {name}");
            let checked = backroom::backup::verify::verify_file(&entry.path(), &dir, u64::MAX).await;
            assert!(checked.is_ok(), "{name} has a backup's name but does not verify: {checked:?}");
        }
        assert!(!backroom::backup::catalog::list(&dir).unwrap().is_empty(), "the uninterrupted run left a backup");
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}
