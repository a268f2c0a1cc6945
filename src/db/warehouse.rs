//! The warehouse's queries and writes: reference data (categories, tablet types, products,
//! machines), the warehouse's settings, and purchase orders with their lines.
pub mod purchase_orders;
pub mod reference;
pub mod settings;
