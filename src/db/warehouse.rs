//! The warehouse's queries and writes: reference data (categories, tablet types, products,
//! machines) and the warehouse's settings.
pub mod reference;
pub mod settings;
