package com.backlogmcp.audit.quota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a block ends: its row records what it spent, and its counter moves {@code granted} out of
 * {@code outstanding} and {@code spent} into {@code used}. Callers hold the blocks' row locks; the counters are
 * adjusted in {@link QuotaLeases.OpenBlock#COUNTER_ORDER}, the order every transaction here locks counter rows in.
 */
final class LeaseSettlement {

    private static final String MARK = """
            UPDATE quota_lease SET spent = ?, settled_at = ?, settlement = ? WHERE block_id = ? AND settled_at IS NULL""";

    private LeaseSettlement() {
    }

    static void settle(Connection c, List<QuotaLeases.Settle> settles, String settlement, Instant now)
            throws SQLException {
        if (settles.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(MARK)) {
            for (QuotaLeases.Settle s : settles) {
                ps.setInt(1, s.spent());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, settlement);
                ps.setString(4, s.block().blockId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<QuotaLeases.Settle> ordered = new ArrayList<>(settles);
        ordered.sort((a, b) -> QuotaLeases.OpenBlock.COUNTER_ORDER.compare(a.block(), b.block()));
        for (QuotaLeases.Settle s : ordered) {
            QuotaLeases.OpenBlock b = s.block();
            b.counter().adjust(c, b.subject(), b.windowStart(), s.spent(), -b.granted());
        }
    }
}
