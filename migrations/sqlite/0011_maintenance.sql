-- One row per maintenance run (retention sweeps, statistics, vacuum): the health page shows
-- the newest, so every server of an installation sees the same last run.
create table maintenance_runs (
    id integer primary key,
    started_at text not null,
    finished_at text not null,
    checks_removed integer not null,
    audit_removed integer not null,
    sessions_removed integer not null,
    longest_lock_ms integer not null,
    chunks integer not null,
    summary text not null
);
create index maintenance_runs_started on maintenance_runs(started_at);
