package com.backlogmcp.auth.events;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/** Prunes published outbox rows once they are no longer useful for diagnosis; pending rows are never touched. */
@Singleton
final class OutboxHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxHousekeeping.class);

    private final TransactionOperations<Connection> tx;
    private final Duration retention;

    OutboxHousekeeping(TransactionOperations<Connection> tx, @Value("${backlogmcp.outbox.retention:7d}") Duration retention) {
        this.tx = tx;
        this.retention = retention;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void prune() {
        try {
            int pruned = tx.executeWrite(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement(
                        "delete from outbox where published_at < now() - make_interval(secs => ?)")) {
                    ps.setLong(1, retention.toSeconds());
                    return ps.executeUpdate();
                }
            });
            LOG.debug("pruned {} published outbox rows", pruned);
        } catch (RuntimeException e) {
            LOG.warn("outbox housekeeping failed, retried next hour: {}", e.toString());
        }
    }
}
