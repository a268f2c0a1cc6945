//! Users and roles as the pages see them (never a password hash).
use std::fmt;

use serde::{Deserialize, Serialize};

/// Every role's name, lowest first (filters and pickers list them in this order).
pub const ROLE_NAMES: [&str; 4] = ["viewer", "staff", "manager", "admin"];

/// Roles, lowest first, so `>=` means "at least".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Staff,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Staff, Role::Manager, Role::Admin];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Who holds this role or a higher one, for "only … may" messages.
    pub fn and_above(&self) -> &'static str {
        match self {
            Role::Viewer => "everyone who is logged in",
            Role::Staff => "staff, managers and admins",
            Role::Manager => "managers and admins",
            Role::Admin => "admins",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim().to_ascii_lowercase())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The logged-in user, as shown in the shell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// Set by an admin's password reset: nothing but the password page until a new one is set.
    pub must_change_password: bool,
    /// Times are shown in it (the account page sets it; the server's default otherwise).
    pub zone: crate::model::platform::zone::Zone,
}

impl CurrentUser {
    pub fn display_name(&self) -> &str {
        if self.full_name.trim().is_empty() {
            &self.username
        } else {
            &self.full_name
        }
    }
}

/// A user's identity fields after validation (trimmed; email lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFields {
    pub username: String,
    pub email: String,
    pub full_name: String,
}

/// The longest username (ASCII, so bytes and characters agree); a login naming a longer one is
/// refused before it is throttled, looked up or audited.
pub const USERNAME_MAX_BYTES: usize = 40;

/// A character a username may hold: ASCII letters and digits, dots, dashes, underscores.
pub fn is_username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// Checks username, email and full name; errors are keyed by field name.
pub fn validate_user_fields(
    username: &str,
    email: &str,
    full_name: &str,
) -> Result<UserFields, crate::error::FieldErrors> {
    let mut errors = crate::error::FieldErrors::new();
    let username = username.trim();
    let email = email.trim().to_lowercase();
    let full_name = full_name.trim();
    if username.len() < 3 || username.len() > USERNAME_MAX_BYTES || !username.chars().all(is_username_char) {
        errors.insert("username".into(), "Use 3–40 letters, digits, dots, dashes or underscores.".into());
    }
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if !valid_email {
        errors.insert("email".into(), "Enter an email address like name@example.com.".into());
    }
    if full_name.chars().count() > 120 {
        errors.insert("full_name".into(), "Full name is too long (at most 120 characters).".into());
    }
    if errors.is_empty() {
        Ok(UserFields { username: username.to_string(), email, full_name: full_name.to_string() })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_from_viewer_to_admin() {
        assert!(Role::Admin > Role::Manager && Role::Manager > Role::Staff && Role::Staff > Role::Viewer);
        assert_eq!(Role::parse(" Manager "), Some(Role::Manager));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn user_fields_are_checked_per_field() {
        let errors = validate_user_fields("a", "not-an-email", "ok").unwrap_err();
        assert_eq!(errors.len(), 2);
        let ok = validate_user_fields(" jane.doe ", "Jane@Example.COM", "Jane").unwrap();
        assert_eq!((ok.username.as_str(), ok.email.as_str()), ("jane.doe", "jane@example.com"));
    }
}
