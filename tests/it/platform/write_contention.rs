//! DB-2: writers never fail with "database is locked" and never lose an update. 32 tasks each
//! run 200 read-modify-write transactions on one counter row through the app's write paths
//! (`Db::begin_write` or `Db::begin_short_write`, which runs on the calling thread through a
//! connection of its own on SQLite, and a `Tx`, with the engine's row lock on the read), on
//! both engines.

use backroom::db::engine::{Db, DbResult, Sql};

/// One read-modify-write: read the counter, write it back one higher.
async fn bump(db: &Db, short: bool) -> DbResult<()> {
    let read = Sql::new(&format!("select n from counter where id = 1{}", db.lock_for_update()));
    let mut tx = if short { db.begin_short_write().await? } else { db.begin_write().await? };
    let (n,): (i64,) = tx.fetch_one(read).await?;
    tx.execute(Sql::with("update counter set n = $1 where id = 1", [(n + 1).into()])).await?;
    tx.commit().await
}

#[tokio::test]
async fn thirty_two_writers_of_two_hundred_transactions_count_exactly() {
    crate::support::each_engine(|db: Db| async move {
        backroom::db::engine::on_db!(&db, |pool| {
            sqlx::query("create table counter (id integer primary key, n bigint not null)")
                .execute(pool)
                .await
                .unwrap();
            sqlx::query("insert into counter (id, n) values (1, 0)").execute(pool).await.unwrap();
        });
        let mut writers = tokio::task::JoinSet::new();
        for writer in 0..32 {
            let db = db.clone();
            writers.spawn(async move {
                let mut failures = Vec::new();
                for _ in 0..200 {
                    // Half the writers take the short path: both kinds queue for one turn.
                    if let Err(e) = bump(&db, writer % 2 == 0).await {
                        failures.push(e.to_string());
                    }
                }
                failures
            });
        }
        let mut failures = Vec::new();
        while let Some(done) = writers.join_next().await {
            failures.extend(done.unwrap());
        }

        assert!(failures.is_empty(), "{} failed, first: {:?}", failures.len(), failures.first());
        let total: i64 =
            backroom::db::engine::on_db!(&db, |pool| sqlx::query_scalar("select n from counter where id = 1")
                .fetch_one(pool)
                .await
                .unwrap());
        assert_eq!(total, 32 * 200);
    })
    .await;
}

#[tokio::test]
async fn a_transaction_dropped_without_commit_leaves_nothing_and_the_next_writer_goes_on() {
    crate::support::each_engine(|db: Db| async move {
        let create = Sql::new("create table scratch (id integer primary key, n bigint not null)");
        backroom::db::engine::bulk::run_in_one_tx(&db, vec![create], &[]).await.unwrap();
        {
            let mut tx = db.begin_write().await.unwrap();
            tx.execute(Sql::with("insert into scratch (id, n) values ($1, $2)", [1.into(), 7.into()])).await.unwrap();
            // Dropped here, as when a request is cut off mid-write.
        }
        {
            let mut tx = db.begin_short_write().await.unwrap();
            tx.execute(Sql::with("insert into scratch (id, n) values ($1, $2)", [2.into(), 7.into()])).await.unwrap();
        }
        let mut short = db.begin_short_write().await.unwrap();
        let (rows,): (i64,) = short.fetch_one(Sql::new("select count(*) from scratch")).await.unwrap();
        assert_eq!(rows, 0, "both dropped writes rolled back");
        short.execute(Sql::with("insert into scratch (id, n) values ($1, $2)", [2.into(), 9.into()])).await.unwrap();
        let again =
            short.execute(Sql::with("insert into scratch (id, n) values ($1, $2)", [2.into(), 10.into()])).await;
        assert!(matches!(again, Err(backroom::db::engine::DbError::Duplicate)), "{again:?}");
        drop(short);
        let mut next = db.begin_write().await.unwrap();
        let (rows,): (i64,) = next.fetch_one(Sql::new("select count(*) from scratch")).await.unwrap();
        assert_eq!(rows, 0, "the dropped write rolled back");
        next.execute(Sql::with("insert into scratch (id, n) values ($1, $2)", [1.into(), 8.into()])).await.unwrap();
        next.commit().await.unwrap();
        let (n,): (i64,) = db.begin_write().await.unwrap().fetch_one(Sql::new("select n from scratch")).await.unwrap();
        assert_eq!(n, 8);
    })
    .await;
}

/// SQLite only: another process (the CLI) holds the write lock when a short write begins. Its
/// wait must not sleep on the runtime's one thread here: the lock is let go by this test's own
/// task, which could not run if it did, and the short write would fail after its busy timeout.
#[tokio::test]
async fn a_short_write_waits_for_another_process_off_the_runtime_thread() {
    crate::support::each_engine(|db: Db| async move {
        let Db::Sqlite(pool, ..) = &db else { return };
        let create = Sql::new("create table scratch (id integer primary key, n bigint not null)");
        backroom::db::engine::bulk::run_in_one_tx(&db, vec![create], &[]).await.unwrap();
        let other = rusqlite::Connection::open(pool.connect_options().get_filename()).unwrap();
        other.execute_batch("begin immediate; insert into scratch (id, n) values (1, 1)").unwrap();
        let writer = db.clone();
        let short = tokio::spawn(async move {
            let mut tx = writer.begin_short_write().await?;
            tx.execute(Sql::with("update scratch set n = n + 1 where id = $1", [1.into()])).await?;
            tx.commit().await
        });
        tokio::task::yield_now().await; // the short write starts, and meets the lock
        other.execute_batch("commit").unwrap();
        short.await.unwrap().unwrap();
        let (n,): (i64,) = db.begin_write().await.unwrap().fetch_one(Sql::new("select n from scratch")).await.unwrap();
        assert_eq!(n, 2, "the short write ran after the other process's commit");
    })
    .await;
}
