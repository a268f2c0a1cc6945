//! Users on both engines: names unique whatever their case (and a migration that says which
//! names clash), and a first-run setup that makes one admin however many requests race.

use backroom::db::platform::users::{self, NewUser};
use backroom::db::{
    engine::{Db, DbError},
    platform::audit::Actor,
};

fn new_user(name: &str) -> NewUser {
    NewUser {
        username: name.to_string(),
        email: format!("{}@example.com", name.to_lowercase()),
        full_name: String::new(),
        password_hash: "not a real hash".into(),
        role: "admin".into(),
        must_change_password: false,
    }
}

#[tokio::test]
async fn usernames_differing_only_in_case_are_one_name() {
    crate::support::each_engine(|db: Db| async move {
        users::create(&db, &Actor::default(), &new_user("Alice")).await.unwrap();
        let mut twin = new_user("alice");
        twin.email = "other@example.com".into();

        let refused = users::create(&db, &Actor::default(), &twin).await;

        assert!(matches!(refused, Err(DbError::Duplicate)), "{refused:?}");
        let found = users::find_by_username(&db, "ALICE").await.unwrap().unwrap();
        assert_eq!(found.username, "Alice");
    })
    .await;
}

#[tokio::test]
async fn the_migration_names_the_usernames_that_clash() {
    crate::support::each_engine(|db: Db| async move {
        // The database as it was before usernames became unique whatever their case.
        backroom::db::engine::on_db!(&db, |pool| {
            sqlx::query("drop index users_username_lower").execute(pool).await.unwrap();
            sqlx::query("delete from _sqlx_migrations where version >= 10").execute(pool).await.unwrap();
        });
        users::create(&db, &Actor::default(), &new_user("Bob")).await.unwrap();
        let mut twin = new_user("bob");
        twin.email = "bob2@example.com".into();
        users::create(&db, &Actor::default(), &twin).await.unwrap();

        let refused = backroom::db::engine::connect::migrate(&db).await.expect_err("refused");

        let message = refused.to_string();
        assert!(message.contains("Bob / bob") && message.contains("Rename"), "{message}");
        assert_eq!(backroom::db::engine::connect::schema_version(&db).await.unwrap(), 9, "nothing was migrated");
    })
    .await;
}

#[tokio::test]
async fn sixteen_racing_first_run_setups_make_one_admin() {
    crate::support::each_engine(|db: Db| async move {
        let mut racers = tokio::task::JoinSet::new();
        for i in 0..16 {
            let db = db.clone();
            racers.spawn(
                async move { users::create_first(&db, &Actor::default(), &new_user(&format!("root{i}"))).await },
            );
        }
        let mut made = 0;
        while let Some(outcome) = racers.join_next().await {
            made += usize::from(outcome.unwrap().unwrap().is_some());
        }

        assert_eq!(made, 1);
        assert_eq!(users::count(&db).await.unwrap(), 1);
    })
    .await;
}
