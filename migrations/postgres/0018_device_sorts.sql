-- The devices table sorts by type, firmware and IP address too. A keyset page walks (key, id), so
-- each order has an index in exactly that shape: a page reads its rows off the index instead of
-- sorting every device of a type (250,000 of a million) to find them.
create index devices_type_id on devices(device_type, id);
create index devices_firmware_id on devices(firmware_version, id);
create index devices_ip_id on devices(coalesce(ip_address, ''), id);
