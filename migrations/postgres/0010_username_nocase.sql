-- Usernames are unique whatever their case: logins match them case-insensitively, so "Alice"
-- and "alice" must not both exist (backroom checks for such pairs before this runs and names
-- them). The index also serves the login's lookup by lower(username).
create unique index users_username_lower on users(lower(username));
