//! Fleet pages: the sites and devices tables and a site's page.
pub mod devices;
pub mod site;
pub mod sites;
