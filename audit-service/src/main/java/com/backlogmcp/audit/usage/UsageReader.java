package com.backlogmcp.audit.usage;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Usage figures read from the audit log (per day and tool) and the last-used table (per credential). */
@Singleton
class UsageReader {

    private static final String DAILY = """
            SELECT (at AT TIME ZONE 'UTC')::date AS day, tool, count(*),
                   count(*) FILTER (WHERE outcome = 'ok'),
                   count(*) FILTER (WHERE outcome = 'tool_error'),
                   count(*) FILTER (WHERE outcome = 'denied')
            FROM audit_log
            WHERE project_id = ? AND at >= ? AND at < ?
            GROUP BY 1, 2
            ORDER BY 1, 2""";
    private static final String LAST_USED =
            "SELECT credential_id, last_used_at FROM credential_last_used WHERE credential_id = ANY (?) ORDER BY credential_id";

    private final TransactionOperations<Connection> transactions;

    UsageReader(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    List<DailyToolUsage> daily(String projectId, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return transactions.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(DAILY)) {
                ps.setString(1, projectId);
                ps.setTimestamp(2, Timestamp.from(start));
                ps.setTimestamp(3, Timestamp.from(end));
                List<DailyToolUsage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DailyToolUsage(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                    }
                }
                return out;
            }
        });
    }

    Map<String, Instant> lastUsed(Collection<String> credentialIds) {
        return transactions.executeRead(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement(LAST_USED)) {
                Array ids = c.createArrayOf("text", credentialIds.toArray());
                ps.setArray(1, ids);
                Map<String, Instant> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
                return out;
            }
        });
    }
}
