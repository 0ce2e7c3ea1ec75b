-- Grant and API-key lifecycle from auth.grants.v1 (created / revoked, and why), idempotent on event_id.
-- Lets an admin see when and why a credential stopped working next to what it did (audit_log).
CREATE TABLE credential_event (
    event_id      text        PRIMARY KEY,
    at            timestamptz NOT NULL,
    type          text        NOT NULL,
    credential_id text        NOT NULL,
    user_id       text        NOT NULL,
    project_id    text,
    workspace_id  text,
    client_id     text,
    reason        text,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credential_event_credential_idx ON credential_event (credential_id, at DESC);
CREATE INDEX credential_event_user_idx ON credential_event (user_id, at DESC);
CREATE INDEX credential_event_at_idx ON credential_event (at);
