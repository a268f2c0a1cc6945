-- Each user's time zone (a tz database name, "Europe/Paris"); empty means the server's default
-- (`time_zone` in Leptos.toml). Pages show every time in it, with UTC in the tooltip.
alter table users add column time_zone text not null default '';
