-- A site's facts (device count, healthy count, any recent, any error) read only these indexes:
-- with `active` in them, no device row is looked up (a site page read about 180 rows before).
drop index devices_site_status;
create index devices_site_status on devices(site_id, status, active);
drop index devices_site_seen;
create index devices_site_seen on devices(site_id, last_seen, active);
