//! Users on both engines: names unique whatever their case (and a migration that says which
//! names clash), a first-run setup that makes one admin however many requests race, and the
//! users table's counts per role and state.

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

#[tokio::test]
async fn the_sidebar_counts_roles_and_states_under_the_other_filters() {
    use backroom::db::admin::user_admin::{list_users, user_facets};
    use backroom::model::admin::accounts::UserFilter;
    use backroom::model::platform::page::ListQuery;
    crate::support::each_engine(|db: Db| async move {
        for (name, role) in [("ann", "admin"), ("bob", "staff"), ("cat", "staff"), ("dan", "viewer")] {
            users::create(&db, &Actor::default(), &NewUser { role: role.into(), ..new_user(name) }).await.unwrap();
        }
        let pairs = |choices: Vec<backroom::model::platform::facet::FacetChoice>| -> Vec<(String, u64)> {
            choices.into_iter().map(|c| (c.value, c.count)).collect()
        };
        let all = user_facets(&db, &UserFilter::default(), &ListQuery::default()).await.unwrap();
        let expected = [("viewer", 1), ("staff", 2), ("manager", 0), ("admin", 1)].map(|(r, n)| (r.to_string(), n));
        assert_eq!(pairs(all.roles), expected);
        assert_eq!(pairs(all.active), [("yes".to_string(), 4), ("no".to_string(), 0)]);

        let staff = UserFilter { role: "staff".into(), ..Default::default() };
        let search = ListQuery { q: "b".into(), ..Default::default() };
        let narrowed = user_facets(&db, &staff, &search).await.unwrap();
        assert_eq!(pairs(narrowed.active), [("yes".to_string(), 1), ("no".to_string(), 0)], "bob alone");
        let listed = list_users(&db, &staff, &search).await.unwrap();
        assert_eq!(listed.total, 1);
        let roles = pairs(narrowed.roles);
        assert_eq!(roles[1], ("staff".to_string(), 1), "the picked role does not narrow its own counts: {roles:?}");
    })
    .await;
}
