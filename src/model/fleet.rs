//! Fleet types: sites, devices, health checks, their forms, filters and the import report.
pub mod bulk;
pub mod csv_columns;
pub mod device;
pub mod device_filter;
pub mod fleet_forms;
pub mod health_input;
pub mod liveness;
pub mod sites;
