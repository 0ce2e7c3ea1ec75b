-- One row per tool-call event; event_id is the idempotency key (a redelivered event hits ON CONFLICT DO NOTHING).
-- Only the HMAC of the arguments is kept: raw arguments never reach this service.
CREATE TABLE audit_log (
    event_id     text        PRIMARY KEY,
    at           timestamptz NOT NULL,
    project_id   text        NOT NULL,
    workspace_id text,
    user_id      text        NOT NULL,
    client_id    text,
    grant_id     text,
    key_id       text,
    tool         text        NOT NULL,
    args_hash    text,
    outcome      text        NOT NULL,
    error_type   text,
    latency_ms   bigint      NOT NULL,
    request_id   text,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
-- newest-first pages per project (the common question) and per user; time order for retention
CREATE INDEX audit_log_project_at_idx ON audit_log (project_id, at DESC, event_id DESC);
CREATE INDEX audit_log_user_at_idx ON audit_log (user_id, at DESC, event_id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at, event_id);

-- Last use per grant / API key, kept apart from the log so it outlives retention and reads in one lookup.
CREATE TABLE credential_last_used (
    credential_id text        PRIMARY KEY,
    last_used_at  timestamptz NOT NULL
);
