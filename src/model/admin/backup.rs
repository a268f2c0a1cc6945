//! Backups as the admin page shows them, and the summary a restore leaves for the admin.
use serde::{Deserialize, Serialize};

/// One backup file of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRow {
    pub file: String,
    pub tier: String,
    pub created_at: String,
    pub engine: String,
    pub size: u64,
    pub sha256: String,
    /// (table, rows), in name order.
    pub tables: Vec<(String, i64)>,
    /// "verified", "failed: …" or "unverified".
    pub status: String,
}

impl BackupRow {
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }

    pub fn is_verified(&self) -> bool {
        self.status == "verified"
    }
}

/// The backups page: the catalogue, what is running now, and where files live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupPage {
    pub rows: Vec<BackupRow>,
    pub running: Option<String>,
    pub schedule_on: bool,
}

/// What the admin sees once after a restore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreReport {
    pub file: String,
    pub backup_created_at: String,
    pub source_engine: String,
    pub tables: Vec<(String, i64)>,
    pub proven: bool,
    /// Why the restore, although done, is not proven (when it is not for another reason).
    pub warning: Option<String>,
    /// API tokens revoked after the backup was taken that stay revoked.
    pub revocations_kept: u64,
    pub pre_restore_file: Option<String>,
    pub seconds: f64,
}

/// "1.4 MB" and the like.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(super::human_bytes(999), "999 B");
        assert_eq!(super::human_bytes(1_400_000), "1.4 MB");
    }
}
