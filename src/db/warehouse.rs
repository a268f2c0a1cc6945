//! The warehouse's queries and writes: reference data (categories, tablet types, products,
//! machines), the warehouse's settings, purchase orders with their lines and timeline, and
//! receives with their bags, and floor submissions with the PO line counts they move.
pub mod bag_match;
pub mod bags;
pub mod dashboard;
pub mod drift;
pub mod floor_reads;
pub mod purchase_orders;
pub mod receives;
pub mod reference;
pub mod seed;
pub mod seed_submissions;
pub mod settings;
pub mod submission_list;
pub mod submissions;
pub mod timeline;
