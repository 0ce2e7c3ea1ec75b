-- RFC 7592: a dynamically registered client reads, updates and deletes its registration with the registration access
-- token returned at registration. Only its SHA-256 is kept; clients registered before this column exist have none
-- (their configuration endpoint answers 401, as for a wrong token).
alter table clients add column registration_token_hash text;
alter table clients add column updated_at timestamptz;
