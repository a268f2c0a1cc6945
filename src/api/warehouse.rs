//! Warehouse server functions: reference data for every logged-in user to read and managers to
//! change, and the warehouse's settings for admins.
pub mod reference;
pub mod settings;
