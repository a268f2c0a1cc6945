//! The columns of the three fleet CSV files (docs/FLEET_CSV.md), in file order: exports write
//! them, imports require them, and the import page lists them for whoever prepares a file.
/// `sites.csv`.
pub const SITES_HEADER: [&str; 6] = ["id", "site_id", "name", "description", "location", "created_at"];
/// `devices.csv`: `site` is the site's `site_id`; `config` is a JSON object.
pub const DEVICES_HEADER: [&str; 11] = [
    "id",
    "device_id",
    "name",
    "device_type",
    "site",
    "status",
    "ip_address",
    "mac_address",
    "firmware_version",
    "last_seen",
    "config",
];
/// `health_checks.csv`: `device` is the device's `device_id`.
pub const CHECKS_HEADER: [&str; 7] =
    ["id", "device", "is_healthy", "response_time_ms", "status_code", "endpoint", "timestamp"];
