//! Deactivating many users at once from the users table: the request, read from a form.
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::model::platform::bulk::{BulkWords, MAX_BULK};

/// The choices of the action menu: (value, label).
pub const USER_BULK_CHOICES: [(&str, &str); 1] = [("deactivate", "Deactivate")];

/// How the flash after an action names it.
pub const USER_BULK_WORDS: BulkWords =
    BulkWords { one: "user", many: "users", verbs: &[("deactivate", "deactivated", "already deactivated")] };

/// Users to deactivate: distinct ids, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserBulkRequest {
    pub user_ids: Vec<i64>,
}

impl UserBulkRequest {
    /// Reads the menu and the ticked rows; `me` (the admin asking) may not be among them: an
    /// admin who locks themselves out does it on their own page, where it says so.
    pub fn parse(action: &str, user_ids: &[String], me: i64) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if action.trim() != "deactivate" {
            errors.insert("action".into(), "Choose what to do with the selected users.".into());
        }
        let mut ids: Vec<i64> = Vec::new();
        for raw in user_ids {
            match raw.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                _ => {
                    errors.insert(
                        "user_ids".into(),
                        "A ticked row is not a user: reload the list and tick again.".into(),
                    );
                }
            }
        }
        if ids.contains(&me) {
            errors
                .insert("user_ids".into(), "You cannot deactivate yourself from the list: untick your own row.".into());
        }
        if ids.is_empty() && !errors.contains_key("user_ids") {
            errors.insert("user_ids".into(), "Select at least one user: tick their row.".into());
        } else if ids.len() > MAX_BULK {
            errors.insert("user_ids".into(), format!("Select at most {MAX_BULK} users at a time."));
        }
        if errors.is_empty() {
            Ok(Self { user_ids: ids })
        } else {
            Err(errors)
        }
    }

    /// "Deactivate 2 users?"
    pub fn question(&self) -> String {
        format!("Deactivate {}?", self.count())
    }

    /// "Yes, deactivate 2 users"
    pub fn confirm_label(&self) -> String {
        format!("Yes, deactivate {}", self.count())
    }

    fn count(&self) -> String {
        match self.user_ids.len() {
            1 => "1 user".to_string(),
            n => format!("{n} users"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_request_names_real_ids_and_never_the_admin_asking() {
        let ok = UserBulkRequest::parse("deactivate", &ids(&["5", " 6", "5"]), 1).unwrap();
        assert_eq!((ok.user_ids.clone(), ok.question()), (vec![5, 6], "Deactivate 2 users?".to_string()));
        assert!(
            UserBulkRequest::parse("deactivate", &ids(&["1", "5"]), 1).unwrap_err()["user_ids"].contains("yourself")
        );
        assert!(UserBulkRequest::parse("deactivate", &ids(&["x"]), 1).unwrap_err()["user_ids"].contains("not a user"));
        assert!(UserBulkRequest::parse("delete", &ids(&["5"]), 1).unwrap_err().contains_key("action"));
        assert!(UserBulkRequest::parse("deactivate", &[], 1).unwrap_err()["user_ids"].contains("at least one"));
        let many: Vec<String> = (2..=102).map(|i| i.to_string()).collect();
        assert!(UserBulkRequest::parse("deactivate", &many, 1).unwrap_err()["user_ids"].contains("at most 100"));
    }
}
