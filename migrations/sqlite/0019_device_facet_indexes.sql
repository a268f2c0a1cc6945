-- The devices table's sidebar counts devices per status and per type under the other of the two.
-- Each index holds all three columns the count reads, so it is counted off the index alone: at
-- 100,000 devices on SQLite, per status 69 → 7.7 ms, per type 97 → 7.8 ms, per status among
-- kiosks 15.8 → 1.1 ms (medians of 7).
create index devices_status_facets on devices(status, active, device_type);
create index devices_type_facets on devices(device_type, active, status);
