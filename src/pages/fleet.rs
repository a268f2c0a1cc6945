//! Fleet pages: sites list and a site's page.
pub mod site;
pub mod sites;
