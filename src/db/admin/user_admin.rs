//! Managing users (admins): the users table, edits, password resets, deletes. Every change is
//! audited in its own transaction, ends the sessions AS-8 says it must, and never leaves the
//! installation without an active admin.
use serde_json::json;

use crate::db::engine::keyset::{fetch_page, KeyKind, Keyed, KeysetList};
use crate::db::engine::{run::fetch_count, run::fetch_optional, sql::contains_pattern};
use crate::db::engine::{Db, DbError, DbResult, Sql, Tx};
use crate::db::platform::audit::{self, Actor, AuditEntry};
use crate::model::admin::accounts::{UserFacets, UserFilter, UserRow, ValidUser};
use crate::model::platform::page::{Cursor, ListQuery, Page};
use crate::model::platform::time::Timestamp;

/// Sort keys the users table accepts (anything else sorts by username).
pub const USER_SORTS: [&str; 2] = ["username", "created"];

const USER_COLUMNS: &str =
    "u.id, u.username, u.email, u.full_name, u.role, u.active, u.must_change_password, u.last_login_at, u.created_at";

crate::db::engine::inline::row! {
    struct UserListRow {
        id: i64,
        username: String,
        email: String,
        full_name: String,
        role: String,
        active: bool,
        must_change_password: bool,
        last_login_at: Option<Timestamp>,
        created_at: Timestamp,
        sort_key: String,
    }
}

impl Keyed for UserListRow {
    fn cursor(&self) -> Cursor {
        let key = if self.sort_key.is_empty() { self.created_at.rfc3339() } else { self.sort_key.clone() };
        Cursor { id: self.id, key }
    }
}

impl From<UserListRow> for UserRow {
    fn from(r: UserListRow) -> Self {
        UserRow {
            id: r.id,
            username: r.username,
            email: r.email,
            full_name: r.full_name,
            role: r.role,
            active: r.active,
            must_change_password: r.must_change_password,
            last_login_at: r.last_login_at,
            created_at: r.created_at,
        }
    }
}

fn user_filter(filter: &UserFilter, q: &ListQuery) -> Sql {
    let mut sql = Sql::new("where true");
    if !filter.role.is_empty() {
        sql.push(" and u.role = ").bind(filter.role.as_str());
    }
    if let Some(active) = filter.active_flag() {
        sql.push(" and u.active = ").bind(active);
    }
    if !q.q.is_empty() {
        let pattern = contains_pattern(&q.q);
        sql.push(" and (lower(u.username) like ").bind(pattern.clone()).push(" escape '\\'");
        sql.push(" or lower(u.email) like ").bind(pattern.clone()).push(" escape '\\'");
        sql.push(" or lower(u.full_name) like ").bind(pattern).push(" escape '\\')");
    }
    sql
}

/// One page of users, filtered by role, active flag and a search over username, email and name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_users(db: &Db, filter: &UserFilter, q: &ListQuery) -> DbResult<Page<UserRow>> {
    let (key_sql, kind, sort_key) = match q.sort.as_str() {
        "created" => ("u.created_at", KeyKind::Time, "''"),
        _ => ("u.username", KeyKind::Text, "u.username"),
    };
    let filter = user_filter(filter, q);
    let count = Sql::count_of("users u", &filter);
    let total = fetch_count(db, count).await?.max(0) as u64;
    let list = KeysetList {
        columns: Sql::new(&format!("{USER_COLUMNS}, {sort_key} as sort_key")),
        from: "users u",
        filter,
        key_sql,
        id_sql: "u.id",
        kind,
        desc: q.desc,
    };
    Ok(fetch_page::<UserListRow>(db, &list, q, total).await?.map_rows(UserRow::from))
}

/// Users per role and per active flag, each under the other filters and the search.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn user_facets(db: &Db, filter: &UserFilter, q: &ListQuery) -> DbResult<UserFacets> {
    use crate::db::engine::facets::{group_count, grouped};
    let any_role = user_filter(&UserFilter { role: String::new(), ..filter.clone() }, q);
    let roles =
        grouped(db, &crate::model::platform::user::ROLE_NAMES, group_count("u.role", "users u", &any_role)).await?;
    let any_active = user_filter(&UserFilter { active: String::new(), ..filter.clone() }, q);
    let flag = "case when u.active then 'yes' else 'no' end";
    let active = grouped(db, &["yes", "no"], group_count(flag, "users u", &any_active)).await?;
    Ok(UserFacets { roles, active })
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn get_user(db: &Db, id: i64) -> DbResult<Option<UserRow>> {
    let mut sql = Sql::new(&format!("select {USER_COLUMNS}, '' as sort_key from users u where u.id = "));
    sql.bind(id);
    Ok(fetch_optional::<UserListRow>(db, sql).await?.map(UserRow::from))
}

/// Locks every active admin row (PostgreSQL; SQLite writers are serialised already), so two
/// concurrent demotions cannot each see the other admin still standing.
pub(super) fn lock_admins() -> Sql {
    Sql::new("update users set updated_at = updated_at where role = 'admin' and active")
}

fn count_admins() -> Sql {
    Sql::new("select count(*) from users where role = 'admin' and active")
}

fn user_json(u: &UserRow) -> serde_json::Value {
    json!({"username": u.username, "email": u.email, "full_name": u.full_name, "role": u.role, "active": u.active})
}

/// `LastAdmin` when the transaction's change left no active admin (it then rolls back).
pub(super) async fn refuse_no_admin_left(tx: &mut Tx) -> DbResult<()> {
    let (admins,): (i64,) = tx.fetch_one(count_admins()).await?;
    if admins == 0 {
        return Err(DbError::LastAdmin);
    }
    Ok(())
}

/// Ends a user's sessions, all or all but the one with row key `keep`; yields how many ended.
pub(super) async fn end_sessions(tx: &mut Tx, user_id: i64, keep: Option<&str>) -> DbResult<u64> {
    tx.execute(match keep {
        Some(keep) => Sql::with("delete from sessions where user_id = $1 and id <> $2", [user_id.into(), keep.into()]),
        None => Sql::with("delete from sessions where user_id = $1", [user_id.into()]),
    })
    .await
}

/// What an edit changed that matters beyond the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditOutcome {
    pub sessions_ended: u64,
}

/// Saves an admin's edit. A role change or a deactivation ends the user's sessions (AS-8);
/// `LastAdmin` when the edit would leave no active admin; `Duplicate` for a taken name or email.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn update_user(db: &Db, actor: &Actor, id: i64, user: &ValidUser) -> DbResult<EditOutcome> {
    let old = get_user(db, id).await?.ok_or(DbError::NotFound)?;
    let ends_sessions = old.role != user.role.as_str() || (old.active && !user.active);
    let mut update = Sql::new("update users set username = ");
    update.bind(user.username.as_str()).push(", email = ").bind(user.email.as_str());
    update.push(", full_name = ").bind(user.full_name.as_str()).push(", role = ").bind(user.role.as_str());
    update.push(", active = ").bind(user.active).push(", updated_at = ").bind(Timestamp::now());
    update.push(" where id = ").bind(id);
    let new = json!({"username": user.username, "email": user.email, "full_name": user.full_name,
                     "role": user.role.as_str(), "active": user.active});
    let entry = AuditEntry::new("user.updated", "user", id).with_changes(&user_json(&old), &new);
    let mut tx = db.begin_write().await?;
    tx.execute(lock_admins()).await?;
    if tx.execute(update).await? == 0 {
        return Err(DbError::NotFound);
    }
    refuse_no_admin_left(&mut tx).await?;
    audit::append(&mut tx, actor, entry).await?;
    let sessions_ended = if ends_sessions { end_sessions(&mut tx, id, None).await? } else { 0 };
    tx.commit().await?;
    Ok(EditOutcome { sessions_ended })
}

/// A new password for a user, and which of their sessions survive it.
pub struct PasswordChange<'a> {
    pub user_id: i64,
    pub hash: String,
    /// Set by an admin's reset: the user must choose a new one at the next login.
    pub must_change: bool,
    /// The row key of the session to keep (the user's own, when they change it themselves).
    pub keep_session: Option<&'a str>,
    pub event: &'static str,
}

/// Stores a new password hash and ends the user's other sessions, with its audit row.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_password(db: &Db, actor: &Actor, change: PasswordChange<'_>) -> DbResult<u64> {
    let keep = change.keep_session.unwrap_or_default().to_string();
    let entry = AuditEntry::new(change.event, "user", change.user_id)
        .with_new(json!({"must_change_password": change.must_change}));
    let update = Sql::with(
        "update users set password_hash = $1, must_change_password = $2, updated_at = $3 where id = $4",
        [change.hash.as_str().into(), change.must_change.into(), Timestamp::now().into(), change.user_id.into()],
    );
    let mut tx = db.begin_write().await?;
    if tx.execute(update).await? == 0 {
        return Err(DbError::NotFound);
    }
    audit::append(&mut tx, actor, entry).await?;
    let ended = end_sessions(&mut tx, change.user_id, Some(&keep)).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Deletes a user nobody's records point at. `ForeignKey` when the audit log names them as an
/// actor (deactivate instead); `LastAdmin` when they are the last active admin.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn delete_user(db: &Db, actor: &Actor, id: i64) -> DbResult<()> {
    let old = get_user(db, id).await?.ok_or(DbError::NotFound)?;
    let mut entry = AuditEntry::new("user.deleted", "user", id);
    entry.old_values = Some(user_json(&old));
    let mut tx = db.begin_write().await?;
    tx.execute(lock_admins()).await?;
    let (referenced,): (i64,) =
        tx.fetch_one(Sql::with("select count(*) from audit_log where actor_id = $1", [id.into()])).await?;
    if referenced > 0 {
        return Err(DbError::ForeignKey);
    }
    if tx.execute(Sql::with("delete from users where id = $1", [id.into()])).await? == 0 {
        return Err(DbError::NotFound);
    }
    refuse_no_admin_left(&mut tx).await?;
    audit::append(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}
