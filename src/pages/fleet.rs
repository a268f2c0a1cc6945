//! Fleet pages: the sites and devices tables and a site's page.
pub mod actions;
pub mod device;
pub mod device_bulk;
pub mod device_config;
pub mod device_form;
pub mod device_jobs;
pub mod devices;
pub mod import;
pub mod site;
pub mod site_form;
pub mod sites;
