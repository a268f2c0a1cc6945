//! Users and sessions as the admin pages and "My account" see them, and the users-list filter.
use serde::{Deserialize, Serialize};

use crate::model::platform::time::Timestamp;
use crate::model::platform::user::Role;

/// One row of the users table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub active: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// One live session. `key` is the stored row id (a hash of the cookie's id, which never leaves
/// the server), used to revoke it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    pub key: String,
    pub user_id: i64,
    pub username: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    /// True for the session that is asking.
    pub current: bool,
}

/// One API token as the token lists show it (its secret is never stored, only its hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    /// The device it reports for; `None` for a collector token (any device).
    pub device_id: Option<String>,
    pub label: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// The users table's sidebar counts, each under the other filters and the search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFacets {
    pub roles: Vec<crate::model::platform::facet::FacetChoice>,
    pub active: Vec<crate::model::platform::facet::FacetChoice>,
}

/// Filters of the users table; empty means "any". Unknown values are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserFilter {
    pub role: String,
    /// "yes", "no" or "" for any.
    pub active: String,
}

impl UserFilter {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        Self { role: get("role").unwrap_or_default(), active: get("active").unwrap_or_default() }.clamped()
    }

    pub fn clamped(&self) -> Self {
        let role = Role::parse(&self.role).map(|r| r.as_str().to_string()).unwrap_or_default();
        let active = match self.active.trim() {
            a @ ("yes" | "no") => a.to_string(),
            _ => String::new(),
        };
        Self { role, active }
    }

    pub fn active_flag(&self) -> Option<bool> {
        match self.active.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }

    pub fn params(&self) -> Vec<(&'static str, String)> {
        [("role", &self.role), ("active", &self.active)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.clone()))
            .collect()
    }
}

/// What an admin may change about a user, as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserForm {
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub role: String,
    /// Checkbox: present ("on") when ticked.
    #[serde(default)]
    pub active: Option<String>,
}

/// A user form after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUser {
    pub username: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
}

impl UserForm {
    pub fn validate(&self) -> Result<ValidUser, crate::error::FieldErrors> {
        let fields = crate::model::platform::user::validate_user_fields(&self.username, &self.email, &self.full_name);
        let role = Role::parse(&self.role);
        let mut errors = fields.clone().err().unwrap_or_default();
        if role.is_none() {
            errors.insert("role".into(), "Choose a role: viewer, staff, manager or admin.".into());
        }
        match (fields, role) {
            (Ok(f), Some(role)) if errors.is_empty() => Ok(ValidUser {
                username: f.username,
                email: f.email,
                full_name: f.full_name,
                role,
                active: self.active.is_some(),
            }),
            _ => Err(errors),
        }
    }

    pub fn from_row(row: &UserRow) -> Self {
        Self {
            username: row.username.clone(),
            email: row.email.clone(),
            full_name: row.full_name.clone(),
            role: row.role.clone(),
            active: row.active.then(|| "on".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_filter_drops_unknown_values() {
        let f = UserFilter::from_params(|k| Some(if k == "role" { "Manager" } else { "maybe" }.to_string()));
        assert_eq!(f, UserFilter { role: "manager".into(), active: String::new() });
        assert_eq!(f.active_flag(), None);
        assert_eq!(UserFilter { active: "no".into(), ..Default::default() }.active_flag(), Some(false));
    }

    #[test]
    fn user_form_reports_every_bad_field() {
        let form = UserForm { username: "x".into(), email: "nope".into(), role: "root".into(), ..Default::default() };
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.keys().cloned().collect::<Vec<_>>(), ["email", "role", "username"]);
        let ok =
            UserForm { username: "ann".into(), email: "a@b.co".into(), role: "staff".into(), ..Default::default() };
        let valid = ok.validate().unwrap();
        assert_eq!((valid.role, valid.active), (Role::Staff, false));
    }
}
