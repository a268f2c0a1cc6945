-- Ingest keeps one index up per check instead of two: a device's checks are read in
-- (checked_at, id) order, which this index serves with its ties; (device_id, checked_at) and
-- (device_id, id) go.
create index health_checks_device_time on health_checks(device_id, checked_at, id);
drop index health_checks_device;
drop index health_checks_device_id;
