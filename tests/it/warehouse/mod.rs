//! The warehouse on both engines: reference data (create, edit, archive, names that refer to
//! other rows, uniqueness whatever the case, audit rows), the demo catalogue, the settings, and
//! the reference CSV downloads over HTTP; purchase orders, their edits and their list; receiving with its scanner field and
//! labels; floor submissions and the PO line counts they keep; the submissions list, its CSV
//! and the review queue; the dashboard, the unverified count and the queue's size, kept between reads.
mod dashboard;
mod kept_counts;
mod po_edit;
mod po_list;
mod purchase_orders;
mod purchase_orders_http;
mod recalculate;
mod receiving;
mod receiving_http;
mod reference;
mod reference_csv;
mod reference_http;
mod review_http;
mod seed_scale;
mod submission_edit_http;
mod submission_invariant;
mod submission_list;
mod submissions;
