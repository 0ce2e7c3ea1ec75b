package com.backlogmcp.audit.quota;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The two counters a lease block draws from: a project's UTC day ({@code daily_quota}) and a credential's UTC minute
 * ({@code rate_window}). Each row keeps {@code used} (spent, known) and {@code outstanding} (held in unsettled blocks);
 * every change to either happens under the row's lock, so {@code used + outstanding <= limit} holds across replicas.
 */
enum CounterTable {

    DAILY("daily", "daily_quota", "project_id", "day"),
    RATE("rate", "rate_window", "credential_id", "window_start");

    final String kind;
    private final String lockSql;
    private final String adjustSql;
    private final String windowColumn;

    CounterTable(String kind, String table, String subjectColumn, String windowColumn) {
        this.kind = kind;
        this.windowColumn = windowColumn;
        // The no-op update makes the upsert take the row lock and return the current figures in one round trip.
        this.lockSql = "INSERT INTO " + table + " (" + subjectColumn + ", " + windowColumn + ", used, outstanding) "
                + "VALUES (?, ?, 0, 0) ON CONFLICT (" + subjectColumn + ", " + windowColumn + ") "
                + "DO UPDATE SET used = " + table + ".used RETURNING used, outstanding";
        this.adjustSql = "UPDATE " + table + " SET used = used + ?, outstanding = outstanding + ? WHERE "
                + subjectColumn + " = ? AND " + windowColumn + " = ?";
    }

    static CounterTable ofKind(String kind) {
        return DAILY.kind.equals(kind) ? DAILY : RATE;
    }

    /** Locks the counter row (creating it at zero) and answers its figures; the lock lasts until the transaction ends. */
    Figures lock(Connection c, String subject, Instant windowStart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lockSql)) {
            ps.setString(1, subject);
            bindWindow(ps, 2, windowStart);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Figures(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** Adds to {@code used} and {@code outstanding} (either delta may be negative; the row's checks keep both >= 0). */
    void adjust(Connection c, String subject, Instant windowStart, long usedDelta, long outstandingDelta)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(adjustSql)) {
            ps.setLong(1, usedDelta);
            ps.setLong(2, outstandingDelta);
            ps.setString(3, subject);
            bindWindow(ps, 4, windowStart);
            ps.executeUpdate();
        }
    }

    private void bindWindow(PreparedStatement ps, int index, Instant windowStart) throws SQLException {
        if (this == DAILY) {
            ps.setDate(index, Date.valueOf(LocalDate.ofInstant(windowStart, ZoneOffset.UTC)));
        } else {
            ps.setTimestamp(index, Timestamp.from(windowStart));
        }
    }

    @Override
    public String toString() {
        return kind + " counter (" + windowColumn + ")";
    }

    /** A counter's state: spent and known, and held in blocks not settled yet. */
    record Figures(long used, long outstanding) {

        /** Slots neither spent nor held; -1 when unlimited. */
        long available(long limit) {
            return limit < 0 ? QuotaLimits.UNLIMITED : Math.max(0, limit - used - outstanding);
        }
    }
}
