//! Fleet: sites, devices, health checks, CSV import and export, device pages.
mod bulk;
mod device_page;
mod devices_db;
mod fleet_csv;
mod fleet_db;
mod fleet_edit;
mod health_api;
mod import_upload;
mod inline_reads;
mod liveness;
