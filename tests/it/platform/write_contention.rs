//! DB-2: writers never fail with "database is locked" and never lose an update. 32 tasks each
//! run 200 read-modify-write transactions on one counter row through the app's write path
//! (`Db::begin_write` and a `Tx`, with the engine's row lock on the read), on both engines.

use backroom::db::engine::{Db, DbResult, Sql};

/// One read-modify-write: read the counter, write it back one higher.
async fn bump(db: &Db) -> DbResult<()> {
    let read = Sql::new(&format!("select n from counter where id = 1{}", db.lock_for_update()));
    let mut tx = db.begin_write().await?;
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
        for _ in 0..32 {
            let db = db.clone();
            writers.spawn(async move {
                let mut failures = Vec::new();
                for _ in 0..200 {
                    if let Err(e) = bump(&db).await {
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
