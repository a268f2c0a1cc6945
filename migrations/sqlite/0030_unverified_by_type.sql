-- The unverified count under a tablet type (or an item, which names one), with or without a
-- kind: the unverified rows of that type only. Through submissions_waiting it looked up every
-- unverified row's type and kind: 127 ms of CPU per list with 63,000 unverified submissions
-- (a backlog of unapproved counts), 0.2 ms with this index (SQLite, scale-10 copy).
create index submissions_waiting_type on submissions(tablet_type_id, kind, submitted_on) where verified_by is null;
