package com.backlogmcp.audit.retention;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Deletes expired rows (audit log and credential events past the audit retention, quota and rate counters past
 * theirs) a small batch at a time. Each batch locks only the old rows it picked ({@code FOR UPDATE SKIP
 * LOCKED}, so two replicas purging at once split the work instead of waiting) and commits at once: inserts of new rows
 * and quota reservations never wait on a purge.
 */
@Singleton
public class RetentionPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);

    private static final String AUDIT = """
            DELETE FROM audit_log WHERE event_id IN (
                SELECT event_id FROM audit_log WHERE at < ? ORDER BY at LIMIT ? FOR UPDATE SKIP LOCKED)""";
    private static final String CREDENTIAL_EVENTS = """
            DELETE FROM credential_event WHERE event_id IN (
                SELECT event_id FROM credential_event WHERE at < ? ORDER BY at LIMIT ? FOR UPDATE SKIP LOCKED)""";
    private static final String DAILY = """
            DELETE FROM daily_quota WHERE (project_id, day) IN (
                SELECT project_id, day FROM daily_quota WHERE day < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";
    private static final String RATE = """
            DELETE FROM rate_window WHERE (credential_id, window_start) IN (
                SELECT credential_id, window_start FROM rate_window WHERE window_start < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";

    // lease blocks go with their counters: daily blocks with the day's counter, rate blocks with the minute's window
    private static final String DAILY_LEASES = """
            DELETE FROM quota_lease WHERE block_id IN (
                SELECT block_id FROM quota_lease WHERE kind = 'daily' AND window_start < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";
    private static final String RATE_LEASES = """
            DELETE FROM quota_lease WHERE block_id IN (
                SELECT block_id FROM quota_lease WHERE kind = 'rate' AND window_start < ? LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private final TransactionOperations<Connection> transactions;
    private final RetentionSettings settings;
    private final Clock clock;

    RetentionPurge(TransactionOperations<Connection> transactions, RetentionSettings settings, Clock clock) {
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /** One pass over every table with a retention; answers the rows deleted. */
    public PurgeResult purge() {
        Instant now = clock.instant();
        Instant auditCutoff = now.minus(settings.auditDays(), ChronoUnit.DAYS);
        LocalDate quotaCutoff = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(settings.quotaDays());
        Instant rateCutoff = now.truncatedTo(ChronoUnit.MINUTES).minus(settings.rateWindowMinutes(), ChronoUnit.MINUTES);

        PurgeResult result = new PurgeResult(
                inBatches(AUDIT, Timestamp.from(auditCutoff)),
                inBatches(CREDENTIAL_EVENTS, Timestamp.from(auditCutoff)),
                inBatches(DAILY, java.sql.Date.valueOf(quotaCutoff)),
                inBatches(RATE, Timestamp.from(rateCutoff)),
                inBatches(DAILY_LEASES, Timestamp.from(quotaCutoff.atStartOfDay(ZoneOffset.UTC).toInstant()))
                        + inBatches(RATE_LEASES, Timestamp.from(rateCutoff)));
        if (result.total() > 0) {
            LOG.info("retention removed {} audit rows and {} credential events (before {}), {} daily counters (before {}), "
                            + "{} rate windows, {} quota lease blocks", result.auditRows(), result.credentialEvents(),
                    auditCutoff, result.dailyCounters(), quotaCutoff, result.rateWindows(), result.leaseBlocks());
        }
        return result;
    }

    private long inBatches(String sql, Object cutoff) {
        long total = 0;
        for (int i = 0; i < settings.maxBatchesPerRun(); i++) {
            int deleted = transactions.executeWrite(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement(sql)) {
                    ps.setObject(1, cutoff);
                    ps.setInt(2, settings.batchSize());
                    return ps.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < settings.batchSize()) {
                break;
            }
        }
        return total;
    }

    /** Rows deleted by one pass. */
    public record PurgeResult(long auditRows, long credentialEvents, long dailyCounters, long rateWindows,
                              long leaseBlocks) {
        public long total() {
            return auditRows + credentialEvents + dailyCounters + rateWindows + leaseBlocks;
        }
    }
}
