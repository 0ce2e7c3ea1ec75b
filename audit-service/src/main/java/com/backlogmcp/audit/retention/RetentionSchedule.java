package com.backlogmcp.audit.retention;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link RetentionPurge} every {@code AUDIT_RETENTION_INTERVAL} (default 10m) on the scheduled pool. */
@Singleton
@Requires(property = "backlogmcp.retention.enabled", notEquals = "false")
class RetentionSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final RetentionPurge purge;

    RetentionSchedule(RetentionPurge purge) {
        this.purge = purge;
    }

    @Scheduled(fixedDelay = "${backlogmcp.retention.interval}", initialDelay = "${backlogmcp.retention.initial-delay}")
    void run() {
        try {
            purge.purge();
        } catch (RuntimeException e) {
            // the next run picks up where this one stopped; batches already committed stay deleted
            LOG.warn("retention pass failed: {}", e.getClass().getSimpleName());
        }
    }
}
