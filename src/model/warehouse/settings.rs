//! The warehouse's settings (an admin page): cards per machine turn when a machine sets none,
//! and how far a bag's count may be from its label and still match.
use serde::{Deserialize, Serialize};

use super::checks::check_whole;
use crate::error::FieldErrors;

/// The settings' keys in the settings table.
pub const CARDS_PER_TURN: &str = "cards_per_turn";
pub const COUNT_TOLERANCE: &str = "count_tolerance";
pub const MAX_CARDS_PER_TURN: i64 = 1_000;
pub const MAX_TOLERANCE: i64 = 10_000;

/// The settings as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseSettings {
    pub cards_per_turn: i64,
    pub count_tolerance: i64,
}

impl Default for WarehouseSettings {
    /// DOMAIN.md's defaults: 1 card per turn, ±5 tablets.
    fn default() -> Self {
        WarehouseSettings { cards_per_turn: 1, count_tolerance: 5 }
    }
}

/// The settings as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub cards_per_turn: String,
    pub count_tolerance: String,
}

impl From<WarehouseSettings> for SettingsForm {
    fn from(s: WarehouseSettings) -> Self {
        SettingsForm { cards_per_turn: s.cards_per_turn.to_string(), count_tolerance: s.count_tolerance.to_string() }
    }
}

impl SettingsForm {
    pub fn validate(&self) -> Result<WarehouseSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let cards_per_turn =
            check_whole(&mut errors, CARDS_PER_TURN, &self.cards_per_turn, 1, MAX_CARDS_PER_TURN, None);
        let count_tolerance = check_whole(&mut errors, COUNT_TOLERANCE, &self.count_tolerance, 0, MAX_TOLERANCE, None);
        if errors.is_empty() {
            Ok(WarehouseSettings { cards_per_turn, count_tolerance })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_need_whole_numbers_in_range() {
        let form = SettingsForm { cards_per_turn: "2".into(), count_tolerance: "0".into() };
        assert_eq!(form.validate().unwrap(), WarehouseSettings { cards_per_turn: 2, count_tolerance: 0 });
        let bad = SettingsForm { cards_per_turn: "0".into(), count_tolerance: "-1".into() }.validate().unwrap_err();
        assert_eq!(bad[CARDS_PER_TURN], "Must be greater than 0.");
        assert_eq!(bad[COUNT_TOLERANCE], "Enter a whole number from 0 to 10000.");
        assert_eq!(SettingsForm::from(WarehouseSettings::default()).validate().unwrap(), WarehouseSettings::default());
    }
}
