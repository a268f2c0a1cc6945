//! The warehouse (DOMAIN.md, Warehouse production): reference data — categories, tablet types,
//! products and machines — with their forms, the warehouse's settings, purchase orders, and
//! receiving with its scanner field and labels; floor submissions.
pub mod checks;
pub mod dashboard;
pub mod drift;
pub mod po_edit;
pub mod po_form;
pub mod po_rules;
pub mod po_views;
pub mod receive_views;
pub mod receiving;
pub mod ref_field;
pub mod reference;
pub mod review;
pub mod review_views;
pub mod scan;
pub mod settings;
pub mod submission_form;
pub mod submission_list;
pub mod submission_views;
pub mod submissions;
pub mod timeline;
