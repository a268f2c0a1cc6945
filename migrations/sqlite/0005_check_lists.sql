-- A device's health checks in id order (exports and the batch reader seek on it).
create index health_checks_device_id on health_checks(device_id, id);
-- Case-insensitive prefix search on device id and name (LIKE 'abc%' seeks on these).
create index devices_device_nocase on devices(device_id collate nocase);
create index devices_name_nocase on devices(name collate nocase);
