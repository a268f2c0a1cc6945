//! The warehouse (DOMAIN.md, Warehouse production): reference data — categories, tablet types,
//! products and machines — with their forms, the warehouse's settings, and purchase orders.
pub mod checks;
pub mod po_form;
pub mod po_rules;
pub mod po_views;
pub mod ref_field;
pub mod reference;
pub mod settings;
