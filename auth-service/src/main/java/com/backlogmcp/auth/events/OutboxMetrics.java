package com.backlogmcp.auth.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.data.connection.ConnectionOperations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What waits in the outbox for Kafka, as metrics: {@code outbox_pending} rows and {@code outbox_oldest_pending_seconds}.
 * Kafka is not part of readiness — the service keeps serving while it is away and its events wait here, durably in
 * PostgreSQL (only the one row being sent is ever held in memory) — so these gauges are how an operator sees an
 * outage and its backlog (auth.grants.v1). Read on each scrape through the partial index on pending rows; NaN when the
 * database does not answer.
 */
@Context
final class OutboxMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMetrics.class);

    private final ConnectionOperations<Connection> connections;

    OutboxMetrics(MeterRegistry registry, ConnectionOperations<Connection> connections) {
        this.connections = connections;
        Gauge.builder("outbox.pending", this, m -> m.query("select count(*) from outbox where published_at is null"))
                .description("outbox rows not yet acknowledged by Kafka").register(registry);
        Gauge.builder("outbox.oldest.pending.seconds", this, m -> m.query(
                        "select coalesce(extract(epoch from now() - min(created_at)), 0) from outbox where published_at is null"))
                .description("age of the oldest outbox row not yet acknowledged by Kafka").baseUnit("seconds").register(registry);
    }

    private double query(String sql) {
        try {
            return connections.executeRead(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getDouble(1) : Double.NaN;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("outbox metrics unavailable: {}", e.toString());
            return Double.NaN;
        }
    }
}
