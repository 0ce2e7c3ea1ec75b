package com.backlogmcp.audit.quota;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts newly stored audit events against the daily blocks they name ({@code ToolCallEvent.quotaBlockId}), inside the
 * audit writer's transaction, so a block's {@code audited} count and the audit rows commit together.
 *
 * <p>The count is what the reclaimer charges for a block whose holder never returned it. An event that arrives after
 * its block was reclaimed (the audit consumer was further behind than the reclaimer could see) is charged to the
 * day's {@code used} at once: {@code used} stays equal to the calls really executed, and
 * {@code audit_quota_lease_late_charges_total} shows how often reclaim was too early. A block its holder returned is
 * not charged again: the return's count is exact.
 */
@Singleton
public class LeaseSpending {

    private static final String LOCK = """
            SELECT block_id, kind, subject_id, window_start, granted, settled_at, settlement FROM quota_lease
            WHERE block_id = ANY (?) ORDER BY block_id FOR UPDATE""";
    private static final String COUNT = "UPDATE quota_lease SET audited = audited + ? WHERE block_id = ?";
    private static final String LATE = "UPDATE quota_lease SET spent = spent + ? WHERE block_id = ?";

    private final MeterRegistry meters;

    LeaseSpending(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Adds {@code eventsPerBlock} (new audit rows per block id) to the blocks; ids this ledger does not know are ignored.
     * Runs in the caller's transaction; locks the blocks in id order, then counters in the ledger's counter order.
     */
    public void record(Connection c, Map<String, Integer> eventsPerBlock) throws SQLException {
        if (eventsPerBlock.isEmpty()) {
            return;
        }
        Map<String, Integer> sorted = new TreeMap<>(eventsPerBlock);
        List<QuotaLeases.Settle> lateCharges = new ArrayList<>();
        try (PreparedStatement lock = c.prepareStatement(LOCK)) {
            Array ids = c.createArrayOf("text", sorted.keySet().toArray());
            lock.setArray(1, ids);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    QuotaLeases.OpenBlock b = QuotaLeases.OpenBlock.from(rs);
                    if ("reclaimed".equals(rs.getString("settlement"))) {
                        lateCharges.add(new QuotaLeases.Settle(b, sorted.get(b.blockId())));
                    }
                }
            }
        }
        try (PreparedStatement count = c.prepareStatement(COUNT)) {
            for (Map.Entry<String, Integer> e : sorted.entrySet()) {
                count.setInt(1, e.getValue());
                count.setString(2, e.getKey());
                count.addBatch();
            }
            count.executeBatch();
        }
        if (lateCharges.isEmpty()) {
            return;
        }
        lateCharges.sort((a, b) -> QuotaLeases.OpenBlock.COUNTER_ORDER.compare(a.block(), b.block()));
        try (PreparedStatement late = c.prepareStatement(LATE)) {
            for (QuotaLeases.Settle s : lateCharges) {
                late.setInt(1, s.spent());
                late.setString(2, s.block().blockId());
                late.executeUpdate();
                QuotaLeases.OpenBlock b = s.block();
                b.counter().adjust(c, b.subject(), b.windowStart(), s.spent(), 0);
            }
        }
        meters.counter("audit.quota.lease.late.charges")
                .increment(lateCharges.stream().mapToInt(QuotaLeases.Settle::spent).sum());
    }
}
