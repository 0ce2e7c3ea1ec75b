-- Transactional outbox for auth.grants.v1: a grant/key change and its GrantEvent commit together; the relay
-- publishes committed rows to Kafka afterwards and marks each one only once the broker acknowledged it.
create table outbox (
    seq           bigserial   primary key,
    event_id      text        not null unique,
    topic         text        not null,
    event_key     text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz
);
create index outbox_pending on outbox (seq) where published_at is null;
