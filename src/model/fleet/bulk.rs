//! Actions on many devices at once, chosen by row checkboxes in the devices table: what can be
//! asked, how it is read from a form, and what the confirmation says.
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::model::fleet::fleet_forms::check_key;
use crate::model::platform::bulk::{BulkWords, MAX_BULK};

/// The choices of the action menu: (value, label).
pub const DEVICE_BULK_CHOICES: [(&str, &str); 4] =
    [("archive", "Archive"), ("restore", "Restore"), ("move", "Move to site…"), ("maintenance", "Set to maintenance")];

/// How the flash after an action names it.
pub const DEVICE_BULK_WORDS: BulkWords = BulkWords {
    one: "device",
    many: "devices",
    verbs: &[
        ("archive", "archived", "already archived"),
        ("restore", "restored", "already active"),
        ("move", "moved", "already at that site"),
        ("maintenance", "set to maintenance", "already in maintenance"),
    ],
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceBulkAction {
    Archive,
    Restore,
    /// To the active site with this key.
    Move(String),
    Maintenance,
}

/// What was asked, checked: the action and the distinct device keys, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceBulkRequest {
    pub action: DeviceBulkAction,
    pub device_ids: Vec<String>,
}

impl DeviceBulkRequest {
    /// Reads the action menu (`action`, and `site` for a move) and the checked rows. Every
    /// problem becomes a message on its field.
    pub fn parse(action: &str, site: &str, device_ids: &[String]) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let action = match action.trim() {
            "archive" => Some(DeviceBulkAction::Archive),
            "restore" => Some(DeviceBulkAction::Restore),
            "maintenance" => Some(DeviceBulkAction::Maintenance),
            "move" => Some(DeviceBulkAction::Move(check_key(&mut errors, "site", "site id to move them to", site))),
            _ => {
                errors.insert("action".into(), "Choose what to do with the selected devices.".into());
                None
            }
        };
        let mut keys: Vec<String> = Vec::new();
        for raw in device_ids {
            let key = check_key(&mut errors, "device_ids", "device id", raw);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        if keys.is_empty() {
            errors.insert("device_ids".into(), "Select at least one device: tick its row.".into());
        } else if keys.len() > MAX_BULK {
            errors.insert("device_ids".into(), format!("Select at most {MAX_BULK} devices at a time."));
        }
        match action {
            Some(action) if errors.is_empty() => Ok(Self { action, device_ids: keys }),
            _ => Err(errors),
        }
    }

    /// "Archive 3 devices?", for the confirmation.
    pub fn question(&self) -> String {
        let n = match self.device_ids.len() {
            1 => "1 device".to_string(),
            n => format!("{n} devices"),
        };
        match &self.action {
            DeviceBulkAction::Archive => format!("Archive {n}?"),
            DeviceBulkAction::Restore => format!("Restore {n}?"),
            DeviceBulkAction::Move(site) => format!("Move {n} to {site}?"),
            DeviceBulkAction::Maintenance => format!("Set {n} to maintenance?"),
        }
    }

    /// "Yes, archive 3 devices", for the button that carries it out.
    pub fn confirm_label(&self) -> String {
        let question = self.question();
        let asked = question.trim_end_matches('?');
        let mut chars = asked.chars();
        let first = chars.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
        format!("Yes, {first}{}", chars.as_str())
    }

    /// The menu value and site of the action, to carry it through the confirmation.
    pub fn form_values(&self) -> (&'static str, String) {
        match &self.action {
            DeviceBulkAction::Archive => ("archive", String::new()),
            DeviceBulkAction::Restore => ("restore", String::new()),
            DeviceBulkAction::Move(site) => ("move", site.clone()),
            DeviceBulkAction::Maintenance => ("maintenance", String::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_request_is_read_with_a_message_for_each_problem() {
        let ok = DeviceBulkRequest::parse("move", " site-2 ", &keys(&["a", "b", "a"])).unwrap();
        assert_eq!(ok.action, DeviceBulkAction::Move("site-2".into()));
        assert_eq!(ok.device_ids, keys(&["a", "b"]));
        assert_eq!(ok.question(), "Move 2 devices to site-2?");
        assert_eq!(ok.confirm_label(), "Yes, move 2 devices to site-2");
        assert_eq!(DeviceBulkRequest::parse("archive", "", &keys(&["a"])).unwrap().question(), "Archive 1 device?");

        let none = DeviceBulkRequest::parse("explode", "", &[]).unwrap_err();
        assert!(none.contains_key("action") && none.contains_key("device_ids"));
        let bad = DeviceBulkRequest::parse("move", "", &keys(&["a\u{0}b"])).unwrap_err();
        assert!(bad.contains_key("site") && bad.contains_key("device_ids"));
        let many: Vec<String> = (0..=MAX_BULK).map(|i| format!("d-{i}")).collect();
        assert!(DeviceBulkRequest::parse("restore", "", &many).unwrap_err()["device_ids"].contains("at most 100"));
    }
}
