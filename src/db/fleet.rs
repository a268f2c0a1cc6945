//! The fleet's tables: sites, devices, health checks, device tokens, CSV rows and demo data.
pub mod api_tokens;
pub mod attention;
pub mod check_writer;
pub mod device_bulk;
pub mod device_facets;
pub mod device_page;
pub mod device_write;
pub mod devices;
pub mod fleet_csv;
pub mod health_ingest;
pub mod liveness;
pub mod seed;
pub mod site_write;
pub mod sites;
pub mod sqlite_checks;
