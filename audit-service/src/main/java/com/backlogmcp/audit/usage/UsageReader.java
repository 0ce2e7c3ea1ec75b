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

    /** What a series groups by: a fixed column expression per kind, never text from the request. */
    static final Map<String, String> SUBJECTS = Map.of(
            "project", "project_id",
            "workspace", "workspace_id",
            "credential", "coalesce(grant_id, key_id)");
    private static final String QUOTA_TODAY = "SELECT project_id, used FROM daily_quota WHERE project_id = ANY (?) AND day = ?";

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

    /** Calls per subject per day (index 0 = {@code from}); subjects without calls get zeros. */
    Map<String, List<Long>> series(String by, Collection<String> ids, LocalDate from, LocalDate to) {
        String subject = SUBJECTS.get(by);
        String sql = "SELECT " + subject + ", (at AT TIME ZONE 'UTC')::date, count(*) FROM audit_log WHERE " + subject
                + " = ANY (?) AND at >= ? AND at < ? AND outcome <> 'denied' GROUP BY 1, 2";
        int days = (int) java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, new ArrayList<>(java.util.Collections.nCopies(days, 0L)));
        }
        transactions.executeRead(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", ids.toArray()));
                ps.setTimestamp(2, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
                ps.setTimestamp(3, Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int day = (int) java.time.temporal.ChronoUnit.DAYS.between(from, rs.getObject(2, LocalDate.class));
                        out.get(rs.getString(1)).set(day, rs.getLong(3));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Today's exact quota counters of the given projects (absent = nothing used yet). */
    Map<String, Long> quotaUsed(Collection<String> projectIds, LocalDate day) {
        return transactions.executeRead(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement(QUOTA_TODAY)) {
                ps.setArray(1, c.createArrayOf("text", projectIds.toArray()));
                ps.setObject(2, day);
                Map<String, Long> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
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
