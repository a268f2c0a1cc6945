//! Fleet pages: the sites and devices tables and a site's page.
pub mod device;
pub mod device_config;
pub mod devices;
pub mod site;
pub mod sites;
