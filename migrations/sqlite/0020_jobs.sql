-- Device jobs (DOMAIN.md, Jobs): a job row with its counters, one target row per device it
-- reached (inserted by one `insert … select` at fan-out), its waves, an append-only timeline,
-- the report ids that make device reports idempotent, and each target's log lines.
create table jobs (
    id integer primary key,
    job_id text not null unique,
    action text not null check (action in
        ('update_config', 'deploy_software', 'restart', 'reboot', 'collect_logs', 'rotate_keys')),
    description text not null default '',
    priority integer not null check (priority between 1 and 5),
    target_kind text not null check (target_kind in ('device', 'site', 'segment')),
    target_label text not null,
    target_site integer references sites(id) on delete set null,
    target_device integer references devices(id) on delete set null,
    target_type text,
    target_status text,
    payload text not null default '{}',
    config_url text not null default '',
    config_version text not null default '',
    ttl_s integer not null,
    timeout_s integer not null,
    max_attempts integer not null default 1,
    retry_failed integer not null default 0,
    retry_timed_out integer not null default 0,
    backoff_s integer not null default 30,
    threshold_pct integer,
    min_done integer not null default 0,
    auto_release_pct integer,
    wave_count integer not null default 1,
    released_wave integer not null default 1,
    state text not null check (state in ('scheduled', 'running', 'paused', 'canceling', 'canceled', 'completed')),
    pause_reason text,
    outcome text,
    force_cancel integer not null default 0,
    n_targets integer not null default 0,
    n_queued integer not null default 0,
    n_dispatched integer not null default 0,
    n_acknowledged integer not null default 0,
    n_in_progress integer not null default 0,
    n_succeeded integer not null default 0,
    n_failed integer not null default 0,
    n_rejected integer not null default 0,
    n_expired integer not null default 0,
    n_timed_out integer not null default 0,
    n_canceled integer not null default 0,
    created_by text not null,
    created_at text not null,
    started_at text,
    completed_at text,
    updated_at text not null
);
create index jobs_created on jobs(created_at, id);
create index jobs_state on jobs(state, created_at, id);

create table job_waves (
    job_id integer not null references jobs(id) on delete cascade,
    wave integer not null,
    percent integer not null,
    size integer not null,
    released_at text,
    n_done integer not null default 0,
    n_succeeded integer not null default 0,
    n_failed integer not null default 0,
    primary key (job_id, wave)
);

create table job_targets (
    id integer primary key,
    job_id integer not null references jobs(id) on delete cascade,
    device_id integer not null references devices(id) on delete cascade,
    wave integer not null,
    state text not null check (state in ('queued', 'dispatched', 'acknowledged', 'in_progress',
        'succeeded', 'failed', 'rejected', 'expired', 'timed_out', 'canceled')),
    attempt integer not null default 1,
    dispatches integer not null default 0,
    expires_at text,
    lease_until text,
    deadline_at text,
    not_before text,
    progress integer,
    message text not null default '',
    details text,
    log_bytes integer not null default 0,
    updated_at text not null,
    unique (job_id, device_id)
);
create index job_targets_device on job_targets(device_id, state);
create index job_targets_job on job_targets(job_id, state, id);
-- The sweeper's three clocks, each on an index of only the targets that clock can end.
create index job_targets_ttl on job_targets(expires_at) where state in ('queued', 'dispatched');
create index job_targets_lease on job_targets(lease_until) where state = 'dispatched';
create index job_targets_deadline on job_targets(deadline_at) where state in ('acknowledged', 'in_progress');

create table job_reports (
    target_id integer not null references job_targets(id) on delete cascade,
    report_id text not null,
    primary key (target_id, report_id)
);

create table job_events (
    id integer primary key,
    job_id integer not null references jobs(id) on delete cascade,
    target_id integer references job_targets(id) on delete cascade,
    device_id integer references devices(id) on delete cascade,
    at text not null,
    from_state text,
    to_state text,
    actor text not null,
    message text not null default ''
);
create index job_events_job on job_events(job_id, id);
create index job_events_device on job_events(device_id, id) where device_id is not null;

create table job_logs (
    id integer primary key,
    target_id integer not null references job_targets(id) on delete cascade,
    at text not null,
    line text not null
);
create index job_logs_target on job_logs(target_id, id);
