//! Files a restore must refuse (truncated, corrupted, foreign, future schema) leave the live
//! database untouched (byte for byte on SQLite); a backup killed at any moment leaves only
//! whole, verifiable backups and `.tmp` files.

use std::io::Write;
use std::path::Path;

use backroom::backup::catalog::Tier;
use backroom::backup::restore::restore;
use backroom::backup::{container, create, files, BackupError};
use backroom::db::{engine::Db, fleet::seed};

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

/// A good backup made into an attack: its manifest lists an "index" whose SQL attaches a new
/// database file (an older build ran these texts when it restored an older schema, so the file
/// also claims the schema version before this one, which on SQLite has the same tables).
async fn manifest_with_sql(good: &Path, dir: &Path, version: i64) -> Vec<u8> {
    let plain = dir.join(format!("attack-{version}.db"));
    files::decompress(good, Some(&plain), u64::MAX).unwrap();
    let mut conn = container::open_rw(&plain).await.unwrap();
    let mut manifest = container::read_manifest(&mut conn).await.unwrap();
    sqlx::query("delete from _sqlx_migrations where version > ?").bind(version).execute(&mut conn).await.unwrap();
    manifest.schema_version = version;
    let planted = dir.join("planted.db");
    let name = "planted.db".to_string();
    manifest.indexes.push((name, format!("attach database '{}' as planted", planted.display())));
    container::write_manifest(&mut conn, &manifest).await.unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    let bytes = zstd_of(&std::fs::read(&plain).unwrap());
    std::fs::remove_file(&plain).unwrap();
    bytes
}

/// The names of the files in `dir`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    names.sort();
    names
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
        Db::Sqlite(pool, ..) => {
            sqlx::query("pragma wal_checkpoint(truncate)").execute(pool).await.unwrap();
            let file = pool.connect_options().get_filename().to_path_buf();
            files::sha256_file(&file).unwrap()
        }
        Db::Postgres(..) => {
            let path = dir.join(format!("fp-{}.tmp", rand::random::<u32>()));
            let m = create::snapshot(
                db,
                &path,
                backroom::model::platform::time::Timestamp::now(),
                &crate::support::quiet(),
            )
            .await
            .unwrap();
            std::fs::remove_file(&path).unwrap();
            serde_json::to_string(&m.tables).unwrap()
        }
    }
}

#[tokio::test]
async fn bad_files_are_refused_and_the_live_database_is_unchanged() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = crate::support::temp_dir("refuse");
        let good = dir.join(create::create(&db, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap().file);
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
            let refused = restore(&db, &path, &dir, u64::MAX, None, &crate::support::quiet()).await.expect_err(name);
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
async fn a_manifest_carrying_sql_is_refused_and_runs_nothing() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = crate::support::temp_dir("manifest-sql");
        let good = dir.join(create::create(&db, &dir, Tier::Manual, &crate::support::quiet()).await.unwrap().file);
        let latest = backroom::db::engine::connect::latest_schema_version();
        for version in [latest, latest - 1] {
            let path = dir.join(format!("attack-{version}.db.zst"));
            std::fs::write(&path, manifest_with_sql(&good, &dir, version).await).unwrap();
            let files_before = listing(&dir);
            let before = fingerprint(&db, &dir).await;

            let refused =
                restore(&db, &path, &dir, u64::MAX, None, &crate::support::quiet()).await.expect_err("refused");

            // At this version only the manifest's extra "index" differs; a file claiming the version
            // before also holds that version's later tables, which is refused first.
            let why = |m: &str| version < latest || m.contains("index");
            assert!(matches!(&refused, BackupError::Mismatch(m) if why(m)), "{version}: {refused:?}");
            assert_eq!(listing(&dir), files_before, "no file appeared (version {version})");
            assert_eq!(fingerprint(&db, &dir).await, before, "the live database is unchanged");
            std::fs::remove_file(&path).unwrap();
        }
        std::fs::remove_dir_all(&dir).unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_backup_killed_at_any_moment_leaves_only_whole_backups_and_temp_files() {
    crate::support::each_engine(|db: Db| async move {
        seed::demo_fleet(&db).await.unwrap();
        let dir = crate::support::temp_dir("killed");
        let url = crate::support::db_url(&db);
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

#[tokio::test]
async fn a_small_file_that_unpacks_past_the_bound_is_refused_and_leaves_nothing() {
    let dir = crate::support::temp_dir("bomb");
    // 256 MiB of zeros compress to a few kilobytes: a tiny upload that would fill a disk.
    let mut encoder = zstd::Encoder::new(Vec::new(), 19).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = dir.join("bomb.db.zst");
    std::fs::write(&bomb, encoder.finish().unwrap()).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 64 * 1024);
    let before = listing(&dir);

    let refused = backroom::backup::verify::verify_file(&bomb, &dir, 16 << 20).await.expect_err("refused");

    assert!(matches!(refused, BackupError::TooLarge), "{refused:?}");
    assert_eq!(listing(&dir), before, "the partly unpacked file is gone");
    std::fs::remove_dir_all(&dir).unwrap();
}
