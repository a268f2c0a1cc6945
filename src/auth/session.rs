//! Session lifecycle: log in (cycles the id), log out (flushes), and resolving a session to
//! its user on every request (idle expiry by the store, absolute expiry and deactivation here).
use tower_sessions::Session;

use crate::context::request::ClientInfo;
use crate::context::state::AppState;
use crate::db::platform::audit::{self, AuditEntry};
use crate::db::platform::sessions::{SessionAuth, AUTH_KEY};
use crate::db::platform::users;
use crate::error::AppError;
use crate::model::platform::time::Timestamp;
use crate::model::platform::user::{is_username_char, CurrentUser, Role, USERNAME_MAX_BYTES};

use super::password::Verified;
use super::throttle::Decision;

fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(%err, "{context}");
    AppError::Internal
}

/// The user behind a session, or `None` (and the session emptied) when it is no longer valid.
pub async fn resolve(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let auth: Option<SessionAuth> = session.get(AUTH_KEY).await.map_err(|e| internal("session load", e))?;
    let Some(auth) = auth else { return Ok(None) };
    if Timestamp::now().unix() - auth.login_at > state.config.absolute_session_secs() {
        session.flush().await.map_err(|e| internal("session flush", e))?;
        return Ok(None);
    }
    match session_user(state, auth.user_id).await? {
        Some(user) => Ok(Some(user)),
        None => {
            session.flush().await.map_err(|e| internal("session flush", e))?;
            Ok(None)
        }
    }
}

/// The zone a user chose, or the server's default (also for a name the database lost).
fn zone_of(state: &AppState, name: &str) -> crate::model::platform::zone::Zone {
    crate::time_zone::zone_named(name)
        .or_else(|| crate::time_zone::zone_named(&state.config.time_zone))
        .unwrap_or_default()
}

/// The user a session names, if it may still come in (active, known role); cached briefly.
async fn session_user(state: &AppState, user_id: i64) -> Result<Option<CurrentUser>, AppError> {
    if let Some(known) = state.users.get(user_id) {
        return Ok(known);
    }
    let generation = state.users.generation();
    let record = users::find_by_id(&state.db, user_id).await.map_err(|e| internal("user load", e))?;
    let user = record.and_then(|u| {
        Role::parse(&u.role).filter(|_| u.active).map(|role| CurrentUser {
            id: u.id,
            username: u.username,
            full_name: u.full_name,
            role,
            must_change_password: u.must_change_password,
            zone: zone_of(state, &u.time_zone),
        })
    });
    state.users.put(user_id, user.clone(), generation);
    Ok(user)
}

/// Checks credentials and starts a session. Unknown user, wrong password and disabled account
/// all give the same error after exactly one hash verification (AS-5, AS-6).
pub async fn log_in(
    state: &AppState,
    session: &Session,
    client: &ClientInfo,
    username: &str,
    password: String,
) -> Result<CurrentUser, AppError> {
    let username = username.trim();
    // Anonymous input is refused before it reaches the throttle, the database or the audit log
    // (AS-12): no account has a longer name or one with other characters. (Unicode case
    // folding differs between Rust and PostgreSQL's lower(), so "admİn" would otherwise reach
    // "admin" under a throttle key of its own.)
    if username.len() > USERNAME_MAX_BYTES || !username.chars().all(is_username_char) {
        return Err(AppError::BadCredentials);
    }
    let decision = state.throttle.check(&state.db, username, &client.ip).await.map_err(|e| internal("throttle", e))?;
    let attempt = match decision {
        Decision::Allow(attempt) => attempt,
        Decision::Wait { secs, audit } => {
            crate::telemetry::login_refused(true);
            if audit {
                let actor = audit::Actor { name: username.to_string(), ip: client.ip.clone(), ..Default::default() };
                let _ = audit::record(&state.db, &actor, AuditEntry::new("auth.throttled", "user", username)).await;
            }
            return Err(AppError::TooManyRequests(secs));
        }
    };
    if password.len() > super::policy::MAX_BYTES {
        attempt.failed();
        crate::telemetry::login_refused(false);
        return Err(AppError::BadCredentials);
    }
    let record = users::find_by_username(&state.db, username).await.map_err(|e| internal("login lookup", e))?;
    let stored = record.as_ref().map(|u| u.password_hash.clone());
    let verified = state.passwords.verify(password, stored).await;
    let actor = |id: Option<i64>| audit::Actor {
        user_id: id,
        name: username.to_string(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
    };
    let (user, rehash) = match (record, verified) {
        (Some(u), Verified::Yes { rehash }) if u.active => (u, rehash),
        (record, _) => {
            attempt.failed();
            crate::telemetry::login_refused(false);
            let id = record.as_ref().map(|u| u.id);
            let _ = audit::record(&state.db, &actor(id), AuditEntry::new("auth.login_failed", "user", username)).await;
            return Err(AppError::BadCredentials);
        }
    };
    attempt.succeeded(&state.db).await.map_err(|e| internal("throttle release", e))?;
    let role = Role::parse(&user.role).ok_or_else(|| internal("role", &user.role))?;
    users::record_login(&state.db, user.id, rehash).await.map_err(|e| internal("record login", e))?;
    session.cycle_id().await.map_err(|e| internal("cycle id", e))?;
    let auth = SessionAuth {
        user_id: user.id,
        login_at: Timestamp::now().unix(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
    };
    session.insert(AUTH_KEY, auth).await.map_err(|e| internal("session insert", e))?;
    let _ = audit::record(&state.db, &actor(Some(user.id)), AuditEntry::new("auth.login", "user", user.id)).await;
    Ok(CurrentUser {
        id: user.id,
        username: user.username,
        full_name: user.full_name,
        role,
        must_change_password: user.must_change_password,
        zone: zone_of(state, &user.time_zone),
    })
}

/// Ends the session server-side (row deleted, cookie cleared) and audits it.
pub async fn log_out(
    state: &AppState,
    session: &Session,
    user: Option<&CurrentUser>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    session.flush().await.map_err(|e| internal("session flush", e))?;
    if let Some(user) = user {
        let actor = audit::Actor {
            user_id: Some(user.id),
            name: user.username.clone(),
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
        };
        let _ = audit::record(&state.db, &actor, AuditEntry::new("auth.logout", "user", user.id)).await;
    }
    Ok(())
}

/// Where to go after login: `next` resolved the way a browser resolves a link (WHATWG URL
/// rules: tabs and newlines dropped, backslashes read as slashes) against this site's origin,
/// kept only if it stays on it (AS-4, IN-6). Control characters anywhere refuse it outright.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next.map(str::trim).filter(|n| n.starts_with('/') && !n.chars().any(char::is_control)) else {
        return "/".to_string();
    };
    let origin = url::Url::parse("http://backroom.invalid/").expect("a valid base URL");
    match origin.join(next) {
        Ok(target) if target.origin() == origin.origin() => {
            let mut local = target.path().to_string();
            if let Some(query) = target.query() {
                local.push('?');
                local.push_str(query);
            }
            // "/.//x" resolves to the path "//x", which a browser reads as another host; an
            // escaped control character or backslash has no business in a Backroom path.
            let lower = local.to_ascii_lowercase();
            let odd = ["%0", "%1", "%7f", "%5c"].iter().any(|e| lower.contains(e));
            if local.starts_with("//") || odd {
                "/".to_string()
            } else {
                local
            }
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/sites?page=2")), "/sites?page=2");
        let bad = [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "/\\/evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{85}/evil.example",
            " //evil.example",
            "/%09/evil.example",
            "/%5C/evil.example",
            "/.//evil.example",
            "/x/..//evil.example",
            "javascript:alert(1)",
            "http:/evil.example",
            "",
        ];
        for bad in bad {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(Some("/a/../devices?x=1")), "/devices?x=1");
        assert_eq!(safe_next(None), "/");
    }
}
