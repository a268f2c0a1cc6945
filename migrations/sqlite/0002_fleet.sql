-- Fleet core: sites, devices, health checks, with the indexes the list and detail pages seek on.
create table sites (
    id integer primary key,
    site_id text not null unique,
    name text not null,
    description text not null default '',
    location text not null default '',
    latitude real,
    longitude real,
    archived integer not null default 0,
    created_at text not null,
    updated_at text not null
);
create index sites_name on sites(name, id);
create index sites_created on sites(created_at, id);

create table devices (
    id integer primary key,
    device_id text not null unique,
    name text not null,
    device_type text not null check (device_type in
        ('pos_terminal', 'kiosk', 'printer', 'scanner', 'payment_gateway', 'iot_sensor', 'gateway', 'unknown')),
    site_id integer not null references sites(id) on delete cascade,
    status text not null default 'unknown' check (status in
        ('online', 'offline', 'maintenance', 'error', 'unknown')),
    ip_address text,
    mac_address text,
    firmware_version text not null default '',
    last_seen text,
    config text not null default '{}',
    active integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index devices_site on devices(site_id, device_id);
create index devices_site_seen on devices(site_id, last_seen);
create index devices_site_status on devices(site_id, status);
create index devices_status on devices(status);

create table health_checks (
    id integer primary key,
    device_id integer not null references devices(id) on delete cascade,
    is_healthy integer not null,
    response_time_ms integer not null,
    status_code integer not null,
    endpoint text not null,
    details text,
    error_message text,
    checked_at text not null
);
create index health_checks_device on health_checks(device_id, checked_at);
