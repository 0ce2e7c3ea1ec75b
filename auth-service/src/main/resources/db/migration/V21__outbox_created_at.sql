-- GET /internal/revocations?since=<instant> finds where to start by time (an edge that starts while Kafka is away).
create index outbox_created_at on outbox (created_at);
