//! Types every domain uses: timestamps, list paging, users and roles.
pub mod bulk;
pub mod csv_cell;
pub mod day_range;
pub mod facet;
pub mod home;
pub mod import_report;
pub mod page;
pub mod save_then;
pub mod time;
pub mod user;
pub mod zone;
