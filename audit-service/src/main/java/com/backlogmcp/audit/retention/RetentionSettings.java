package com.backlogmcp.audit.retention;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How long rows live: audit-log rows {@code auditDays} ({@code AUDIT_RETENTION_DAYS}, default 90), daily quota counters
 * {@code quotaDays} full days after their day, minute windows {@code rateWindowMinutes}. Deletes run in batches of
 * {@code batchSize} rows, each its own short transaction, at most {@code maxBatchesPerRun} per table and run.
 */
@ConfigurationProperties(RetentionSettings.PREFIX)
public record RetentionSettings(int auditDays, int quotaDays, int rateWindowMinutes, int batchSize, int maxBatchesPerRun) {

    public static final String PREFIX = "backlogmcp.retention";
}
