//! The warehouse (DOMAIN.md, Warehouse production): reference data — categories, tablet types,
//! products and machines — with their forms, and the warehouse's settings.
pub mod checks;
pub mod ref_field;
pub mod reference;
pub mod settings;
