-- Exact daily quota per project per UTC day. The row is the counter; a conditional upsert
-- (INSERT … ON CONFLICT DO UPDATE … WHERE used < limit) makes PostgreSQL the only judge, so
-- any number of audit-service replicas grant exactly the limit, never one more.
CREATE TABLE daily_quota (
    project_id text        NOT NULL,
    day        date        NOT NULL,
    used       bigint      NOT NULL CHECK (used >= 0),
    PRIMARY KEY (project_id, day)
);
CREATE INDEX daily_quota_day_idx ON daily_quota (day);

-- Per-credential fixed one-minute windows (window_start is the UTC minute).
CREATE TABLE rate_window (
    credential_id text        NOT NULL,
    window_start  timestamptz NOT NULL,
    used          bigint      NOT NULL CHECK (used >= 0),
    PRIMARY KEY (credential_id, window_start)
);
CREATE INDEX rate_window_start_idx ON rate_window (window_start);
