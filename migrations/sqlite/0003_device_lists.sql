-- The devices table's sort orders and filters, each seekable by (key, id) without a sort step.
drop index devices_status;
create index devices_status_id on devices(status, id);
create index devices_status_device on devices(status, device_id);
create index devices_name on devices(name, id);
create index devices_last_seen on devices(coalesce(last_seen, '1970-01-01T00:00:00Z'), id);
create index devices_firmware on devices(firmware_version, device_id);
create index devices_type on devices(device_type, device_id);
create index devices_ip on devices(ip_address collate nocase);
