-- Bearer tokens for the device health API: a device's own token, or a collector token (no
-- device) that may report for any device. Only the SHA-256 of a token is stored.
create table api_tokens (
    id integer primary key,
    token_hash text not null unique,
    device_id integer references devices(id) on delete cascade,
    label text not null,
    created_by text not null,
    created_at text not null,
    revoked_at text
);
create index api_tokens_device on api_tokens(device_id);
