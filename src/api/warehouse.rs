//! Warehouse server functions: reference data and purchase orders for every logged-in user to
//! read and managers to change, and the warehouse's settings for admins.
pub mod purchase_orders;
pub mod reference;
pub mod settings;
