//! Warehouse server functions: reference data and purchase orders for every logged-in user to
//! read and managers to change, receiving and floor submissions for staff, the
//! submissions list for everyone and its review queue for managers, and the warehouse's settings
//! for admins.
pub mod dashboard;
pub mod purchase_orders;
pub mod recalculate;
pub mod receiving;
pub mod reference;
pub mod settings;
pub mod submission_list;
pub mod submissions;
