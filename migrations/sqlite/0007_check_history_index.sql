-- Ingest keeps one index up per check instead of two: a device's checks are read by
-- (device_id, checked_at), to which SQLite appends the rowid, so paging and exports in
-- (checked_at, id) order seek on it and the (device_id, id) index goes.
drop index health_checks_device_id;
