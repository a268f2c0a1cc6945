-- The submissions list and the review queue. The list is newest first by (day, id); filtered by
-- PO or tablet type it reads that range of the index below instead of every submission. The
-- queue and the unverified count read only what is not yet verified, a small part once counts
-- are approved day by day.
create index submissions_po on submissions(po_id, submitted_on, id);
create index submissions_type on submissions(tablet_type_id, submitted_on, id);
create index submissions_waiting on submissions(submitted_on, id) where verified_by is null;
-- The bag board's live feed asks for the newest audit row of a submission and of a receive
-- every 2 s per open board: one step into this index each.
create index audit_log_entity_latest on audit_log(entity_type, id);
