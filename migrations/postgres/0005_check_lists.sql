-- A device's health checks in id order (exports and the batch reader seek on it).
create index health_checks_device_id on health_checks(device_id, id);
-- Case-insensitive prefix search on device id and name (lower(x) LIKE 'abc%' seeks on these).
create index devices_device_lower on devices(lower(device_id) text_pattern_ops);
create index devices_name_lower on devices(lower(name) text_pattern_ops);
