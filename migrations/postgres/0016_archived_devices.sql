-- "Show archived" on the devices table: the few archived devices are found on an index of
-- their own instead of a walk past every active one (a million of them) in key order.
create index devices_archived on devices(device_id) where not active;
