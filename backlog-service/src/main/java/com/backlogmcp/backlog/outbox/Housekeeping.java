package com.backlogmcp.backlog.outbox;

import com.backlogmcp.backlog.config.BacklogSettings;
import com.backlogmcp.backlog.config.OutboxSettings;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;

/**
 * Prunes rows whose purpose has passed: published outbox rows (kept a while for diagnosis) and item sort history
 * older than a list_items cursor may live.
 */
@Singleton
final class Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final TransactionOperations<Connection> tx;
    private final Duration outboxRetention;
    private final Duration cursorLifetime;

    Housekeeping(TransactionOperations<Connection> tx, OutboxSettings outbox, BacklogSettings settings) {
        this.tx = tx;
        this.outboxRetention = outbox.retention();
        this.cursorLifetime = settings.cursorLifetime();
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void prune() {
        try {
            tx.executeWrite(status -> {
                var sql = new com.backlogmcp.backlog.support.ConnectionQueries(status.getConnection());
                int outbox = sql.update("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => ?)",
                        outboxRetention.toSeconds());
                int history = sql.update("DELETE FROM item_sort_history WHERE changed_at < now() - make_interval(secs => ?)",
                        cursorLifetime.toSeconds());
                LOG.debug("pruned {} outbox rows and {} sort history rows", outbox, history);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed, retried next hour: {}", e.toString());
        }
    }
}
