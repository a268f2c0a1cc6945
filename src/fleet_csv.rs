//! The fleet CSV files of FLEET_CSV.md: their format, imports (CLI and web) and the rows exports
//! stream. One implementation serves `backroom import`, the import page and the export links.
pub mod dir;
pub mod format;
pub mod import;
pub mod plan;

/// The one-time store's key for a user's last import report.
pub const IMPORT_REPORT_KEY: &str = "fleet-import-report";
