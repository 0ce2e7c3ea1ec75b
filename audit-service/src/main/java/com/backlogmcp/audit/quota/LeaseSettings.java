package com.backlogmcp.audit.quota;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * Quota lease timing.
 *
 * <ul>
 *   <li>{@code dailyTtl} ({@code QUOTA_LEASE_TTL}, default 30s): how long a daily block may be spent; never past the
 *       UTC day's end. Rate blocks always expire at the end of their minute.</li>
 *   <li>{@code reclaimAfter} ({@code QUOTA_LEASE_RECLAIM_AFTER}, default 15s): how long after its expiry an unreturned
 *       daily block waits for its holder's return and for the audit events of calls still in flight at expiry, before
 *       the reclaimer settles it from the audit log.</li>
 *   <li>{@code reclaimInterval} ({@code QUOTA_LEASE_RECLAIM_INTERVAL}, default 5s): how often each replica looks for
 *       blocks to reclaim and reads the audit consumer's progress.</li>
 * </ul>
 */
@ConfigurationProperties(LeaseSettings.PREFIX)
public record LeaseSettings(Duration dailyTtl, Duration reclaimAfter, Duration reclaimInterval,
                            boolean reclaimEnabled) {

    public static final String PREFIX = "backlogmcp.quota.lease";
}
