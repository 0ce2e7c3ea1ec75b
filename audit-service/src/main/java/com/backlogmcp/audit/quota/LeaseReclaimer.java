package com.backlogmcp.audit.quota;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Settles blocks their holders never returned (a crashed edge replica, or one cut off from this service).
 *
 * <ul>
 *   <li>A <b>daily</b> block is settled once {@code expiresAt + reclaimAfter} is at or before the
 *       {@link AuditWatermark}: by then the holder has stopped spending (it must not after {@code expiresAt}), had
 *       {@code reclaimAfter} to return the block itself, and every audit event already in Kafka is stored, so the
 *       block's {@code audited} count is what it spent. That count is charged as used; the rest goes back to the
 *       pool. While Kafka is away or the consumer lags, the watermark stands still and such blocks stay outstanding:
 *       the day's limit may be reached early for a while, never exceeded.</li>
 *   <li>A <b>rate</b> block is settled as fully spent once its minute is over: its slots cannot be used in another
 *       minute, so only the counter's bookkeeping is left to close.</li>
 * </ul>
 *
 * <p>Rows are picked with {@code FOR UPDATE SKIP LOCKED} in small batches, each its own transaction, so replicas share
 * the work and a holder's concurrent return either wins (exact count) or finds the block already settled (no-op).
 */
@Singleton
public class LeaseReclaimer {

    private static final int BATCH = 200;
    private static final String PICK = """
            SELECT block_id, kind, subject_id, window_start, granted, settled_at, audited FROM quota_lease
            WHERE settled_at IS NULL AND kind = ? AND expires_at <= ?
            ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED""";

    private final TransactionOperations<Connection> transactions;
    private final AuditWatermark watermark;
    private final LeaseSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;

    LeaseReclaimer(TransactionOperations<Connection> transactions, AuditWatermark watermark, LeaseSettings settings,
                   Clock clock, MeterRegistry meters) {
        this.transactions = transactions;
        this.watermark = watermark;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** One pass; answers how many blocks were settled. */
    public int reclaimExpired() {
        Instant now = clock.instant();
        Instant stored = watermark.advance();
        int rate = settleAll(CounterTable.RATE, now);
        Instant dailyCutoff = stored.minus(settings.reclaimAfter());
        int daily = settleAll(CounterTable.DAILY, dailyCutoff.isBefore(now) ? dailyCutoff : now);
        meters.counter("audit.quota.lease.reclaimed", "kind", "rate").increment(rate);
        meters.counter("audit.quota.lease.reclaimed", "kind", "daily").increment(daily);
        return rate + daily;
    }

    private int settleAll(CounterTable counter, Instant expiredBy) {
        int total = 0;
        int settled;
        do {
            settled = transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                List<QuotaLeases.Settle> settles = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(PICK)) {
                    ps.setString(1, counter.kind);
                    ps.setTimestamp(2, Timestamp.from(expiredBy));
                    ps.setInt(3, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            QuotaLeases.OpenBlock b = QuotaLeases.OpenBlock.from(rs);
                            int spent = counter == CounterTable.DAILY ? rs.getInt("audited") : b.granted();
                            settles.add(new QuotaLeases.Settle(b, spent));
                        }
                    }
                }
                LeaseSettlement.settle(c, settles, "reclaimed", clock.instant());
                return settles.size();
            });
            total += settled;
        } while (settled == BATCH);
        return total;
    }
}
