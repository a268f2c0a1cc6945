//! Sessions answered from memory: on PostgreSQL only until any change to the sessions table is
//! announced, whichever connection made it; on SQLite never (each load reads the row). A save only
//! updates a row that still exists, so it cannot bring back a session ended meanwhile.

use std::time::Duration;

use backroom::db::platform::audit::Actor;
use backroom::db::platform::session_watch::SessionWatch;
use backroom::db::platform::sessions::{row_key, DbSessionStore};
use backroom::db::{
    engine::Db,
    platform::{sessions, users},
};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

const WAIT: Duration = Duration::from_secs(10);

async fn new_session(store: &DbSessionStore, user_id: i64) -> Id {
    let auth = serde_json::json!({ "user_id": user_id, "login_at": 0, "ip": "127.0.0.1", "user_agent": "test" });
    let mut record = Record {
        id: Id::default(),
        data: [(sessions::AUTH_KEY.to_string(), auth)].into(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.expect("create session");
    record.id
}

/// Deletes the row the way no trigger sees (PostgreSQL's replica role skips triggers), so only a
/// load that reads the row can notice it is gone.
async fn delete_unannounced(db: &Db, id: &Id) {
    let delete = "delete from sessions where id = $1";
    match db {
        Db::Sqlite(pool, ..) => {
            sqlx::query(delete).bind(row_key(id)).execute(pool).await.expect("delete");
        }
        Db::Postgres(pool, ..) => {
            let mut tx = pool.begin().await.expect("begin");
            sqlx::query("set local session_replication_role = replica").execute(&mut *tx).await.expect("replica");
            sqlx::query(delete).bind(row_key(id)).execute(&mut *tx).await.expect("delete");
            tx.commit().await.expect("commit");
        }
    }
}

async fn add_user(db: &Db) -> i64 {
    let ana = users::NewUser {
        username: "ana".into(),
        email: "ana@example.com".into(),
        full_name: "Ana".into(),
        password_hash: "not a real hash".into(),
        role: "staff".into(),
        must_change_password: false,
    };
    users::create(db, &Actor::default(), &ana).await.expect("user")
}

#[tokio::test]
async fn a_remembered_session_answers_only_until_a_change_is_announced() {
    crate::support::each_engine(|db: Db| async move {
        let watch = SessionWatch::start(&db);
        let is_pg = matches!(db, Db::Postgres(..));
        if is_pg {
            tokio::time::timeout(WAIT, watch.live()).await.expect("listening on PostgreSQL");
        }
        let store = DbSessionStore::new(db.clone(), watch.clone());
        let user = add_user(&db).await;
        let id = new_session(&store, user).await;
        assert!(store.load(&id).await.unwrap().is_some());

        delete_unannounced(&db, &id).await;
        let remembered = store.load(&id).await.unwrap();
        assert_eq!(remembered.is_some(), is_pg, "only PostgreSQL answers from memory");

        if is_pg {
            // Another process ends the user's sessions: nothing is left to delete, but the
            // statement is announced, and the remembered session is no longer believed.
            let seen = watch.moves();
            sessions::end_user_sessions(&db, user, None).await.unwrap();
            tokio::time::timeout(WAIT, watch.moved_from(seen)).await.expect("notification arrives");
        }
        assert!(store.load(&id).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn this_process_forgets_remembered_sessions_when_told_without_a_notification() {
    crate::support::each_engine(|db: Db| async move {
        let watch = SessionWatch::start(&db);
        if matches!(db, Db::Postgres(..)) {
            tokio::time::timeout(WAIT, watch.live()).await.expect("listening on PostgreSQL");
        }
        let store = DbSessionStore::new(db.clone(), watch.clone());
        let id = new_session(&store, add_user(&db).await).await;
        assert!(store.load(&id).await.unwrap().is_some());
        delete_unannounced(&db, &id).await;
        // What the middleware does after every state-changing request.
        watch.invalidate();
        assert!(store.load(&id).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn a_save_that_finishes_after_a_revoke_does_not_bring_the_session_back() {
    crate::support::each_engine(|db: Db| async move {
        let store = DbSessionStore::new(db.clone(), SessionWatch::start(&db));
        let user = add_user(&db).await;
        let id = new_session(&store, user).await;
        // A page view has loaded the session; an admin revokes it before the view saves.
        let mut record = store.load(&id).await.unwrap().expect("session");
        assert_eq!(sessions::end_user_sessions(&db, user, None).await.unwrap(), 1);
        record.expiry_date += time::Duration::minutes(5);
        store.save(&record).await.unwrap();

        assert_eq!(sessions::count_for_user(&db, user).await.unwrap(), 0, "the revoked session stays gone");
        assert!(store.load(&id).await.unwrap().is_none());
    })
    .await;
}
