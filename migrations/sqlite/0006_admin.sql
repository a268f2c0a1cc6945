-- Admin pages: the audit log refuses updates (rows are only ever added, and old ones removed by
-- the retention sweep), and indexes for its entity and actor filters.
create trigger audit_log_append_only before update on audit_log
begin
    select raise(abort, 'the audit log is append-only');
end;
create index audit_log_entity on audit_log(entity_type, entity_id, at);
create index audit_log_actor_name on audit_log(lower(actor_name), at);
