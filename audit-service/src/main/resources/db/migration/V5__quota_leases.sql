-- Quota leases. A counter's invariant is used + outstanding <= limit: `used` is what is known to be spent (settled
-- blocks and reservations of /internal/quota/reserve), `outstanding` is the slots held in blocks not settled yet.
-- A block is granted, settled and counted under its counter's row lock, in one short transaction each, so the
-- limit stays exact however many audit-service and edge replicas take blocks.
ALTER TABLE daily_quota ADD COLUMN outstanding bigint NOT NULL DEFAULT 0 CHECK (outstanding >= 0);
ALTER TABLE rate_window ADD COLUMN outstanding bigint NOT NULL DEFAULT 0 CHECK (outstanding >= 0);

-- One row per granted block. kind 'daily': subject is a project, window_start the UTC day's start;
-- kind 'rate': subject is a credential, window_start the UTC minute. `audited` counts the stored audit events that
-- name this block (ToolCallEvent.quotaBlockId); `spent` is fixed when the block is settled, either by its holder's
-- return (granted - unused) or by the reclaimer after expiry (audited at that moment).
CREATE TABLE quota_lease (
    block_id     text        PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('daily', 'rate')),
    subject_id   text        NOT NULL,
    window_start timestamptz NOT NULL,
    holder       text        NOT NULL,
    granted      integer     NOT NULL CHECK (granted > 0),
    granted_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    audited      integer     NOT NULL DEFAULT 0 CHECK (audited >= 0),
    spent        integer     CHECK (spent >= 0),
    settled_at   timestamptz,
    settlement   text        CHECK (settlement IN ('returned', 'reclaimed')),
    CHECK ((settled_at IS NULL) = (settlement IS NULL) AND (settled_at IS NULL) = (spent IS NULL))
);
-- the reclaimer's question: unsettled blocks past their expiry, oldest first
CREATE INDEX quota_lease_open_idx ON quota_lease (expires_at) WHERE settled_at IS NULL;
-- retention removes blocks with their counters
CREATE INDEX quota_lease_window_idx ON quota_lease (window_start);

-- The lease block a call spent its slot from (null when none); counted into quota_lease.audited when the row is new.
ALTER TABLE audit_log ADD COLUMN quota_block_id text;

-- Tool-call records that could not be decoded or lacked required fields: skipped by the consumer (the partition
-- never stalls on them) but noted here with their position, so an operator can re-read them from Kafka while the
-- topic retains them. The payload itself is not stored: a malformed record might carry raw arguments.
CREATE TABLE audit_dead_letter (
    topic          text        NOT NULL,
    kafka_partition integer    NOT NULL,
    kafka_offset   bigint      NOT NULL,
    record_key     text,
    reason         text        NOT NULL,
    payload_bytes  integer     NOT NULL,
    payload_sha256 text,
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
