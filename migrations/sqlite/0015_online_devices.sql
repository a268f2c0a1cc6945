-- Liveness (model::fleet::liveness): the leader turns online devices offline once their last
-- check leaves the freshness window. It finds them, and the next one to expire, on this index of
-- online devices only. A site's "any device live" fact now reads the status index, so the index
-- of last_seen per site goes.
drop index devices_site_seen;
create index devices_online_seen on devices(last_seen) where status = 'online';
