package com.backlogmcp.audit.quota;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link LeaseReclaimer} every {@code QUOTA_LEASE_RECLAIM_INTERVAL} (default 5s) on every replica. */
@Singleton
@Requires(property = "backlogmcp.quota.lease.reclaim-enabled", notEquals = "false")
class ReclaimSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(ReclaimSchedule.class);

    private final LeaseReclaimer reclaimer;

    ReclaimSchedule(LeaseReclaimer reclaimer) {
        this.reclaimer = reclaimer;
    }

    @Scheduled(fixedDelay = "${backlogmcp.quota.lease.reclaim-interval}",
            initialDelay = "${backlogmcp.quota.lease.reclaim-interval}")
    void run() {
        try {
            reclaimer.reclaimExpired();
        } catch (RuntimeException e) {
            // blocks stay outstanding until a later pass succeeds: the limit can only be reached early, not exceeded
            LOG.warn("quota lease reclaim failed: {}", e.getClass().getSimpleName());
        }
    }
}
