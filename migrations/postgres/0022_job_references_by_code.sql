-- The jobs tables keep their references by the code that writes them, not by foreign keys.
-- PostgreSQL checks a foreign key with a trigger per row that locks the parent row (FOR KEY
-- SHARE): a fan-out to 100,000 devices locked every one of them, and every timeline event
-- locked its job, target and device again. Dropping these checks took that insert from 1.83 s
-- to 0.87 s (side by side on a loaded machine), and `make bench`'s fan-out from 1,401 to
-- 686 ms (with the one-wave fan-out of the same release). The references still hold:
-- - targets are inserted only by the fan-out, from a select of devices in the transaction
--   that inserts their job; events, reports and log lines only for a target (or job) read in
--   the same transaction;
-- - no code deletes a device (they are archived), a job or a target;
-- - every backup is a SQLite database with the SQLite schema, which keeps these foreign keys,
--   and a restore checks them (foreign_key_check) before it loads anything.
alter table job_targets drop constraint job_targets_job_id_fkey;
alter table job_targets drop constraint job_targets_device_id_fkey;
alter table job_events drop constraint job_events_job_id_fkey;
alter table job_events drop constraint job_events_target_id_fkey;
alter table job_events drop constraint job_events_device_id_fkey;
alter table job_reports drop constraint job_reports_target_id_fkey;
alter table job_logs drop constraint job_logs_target_id_fkey;
