package com.backlogmcp.audit.quota;

import com.backlogmcp.contracts.internal.QuotaDecision;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;

/**
 * Reserves one call against the per-credential minute window and the per-project UTC day, in one transaction.
 *
 * <p>Each counter is one conditional upsert ({@code INSERT … ON CONFLICT DO UPDATE … WHERE used < limit RETURNING used}):
 * PostgreSQL locks the row, re-reads the newest {@code used} and increments only below the limit, so concurrent
 * reservations on any number of replicas are granted exactly {@code limit} times. When the second counter refuses,
 * the transaction rolls back and the first counter's increment disappears with it: a refused call is never counted.
 * Every transaction takes the rate row before the quota row, so two reservations never wait on each other in a cycle.
 *
 * <p>Slots held in unsettled lease blocks ({@link QuotaLeases}) count as taken here ({@code used + outstanding}), so
 * reservations and leases can be mixed on one counter and still never exceed the limit; the figures answered include
 * them. The edge leases in its steady state; this per-call path stays for callers that do not.
 */
@Singleton
public class QuotaLedger {

    private static final String RATE_RESERVE = """
            INSERT INTO rate_window (credential_id, window_start, used) VALUES (?, ?, 1)
            ON CONFLICT (credential_id, window_start) DO UPDATE SET used = rate_window.used + 1
            WHERE rate_window.used + rate_window.outstanding < ?
            RETURNING used + outstanding""";
    private static final String RATE_COUNT_UNLIMITED = """
            INSERT INTO rate_window (credential_id, window_start, used) VALUES (?, ?, 1)
            ON CONFLICT (credential_id, window_start) DO UPDATE SET used = rate_window.used + 1
            RETURNING used + outstanding""";
    private static final String RATE_READ = "SELECT used + outstanding FROM rate_window WHERE credential_id = ? AND window_start = ?";

    private static final String DAILY_RESERVE = """
            INSERT INTO daily_quota (project_id, day, used) VALUES (?, ?, 1)
            ON CONFLICT (project_id, day) DO UPDATE SET used = daily_quota.used + 1
            WHERE daily_quota.used + daily_quota.outstanding < ?
            RETURNING used + outstanding""";
    private static final String DAILY_COUNT_UNLIMITED = """
            INSERT INTO daily_quota (project_id, day, used) VALUES (?, ?, 1)
            ON CONFLICT (project_id, day) DO UPDATE SET used = daily_quota.used + 1
            RETURNING used + outstanding""";
    private static final String DAILY_READ = "SELECT used + outstanding FROM daily_quota WHERE project_id = ? AND day = ?";

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    QuotaLedger(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Reserves one call; a refusal leaves both counters as they were. */
    public QuotaDecision reserve(String projectId, String credentialId, long dailyLimit, long rateLimit) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant rateResetsAt = window.plus(1, ChronoUnit.MINUTES);
        Instant dailyResetsAt = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            OptionalLong rateUsed = increment(c, rateLimit, RATE_RESERVE, RATE_COUNT_UNLIMITED,
                    ps -> { ps.setString(1, credentialId); ps.setTimestamp(2, Timestamp.from(window)); });
            if (rateUsed.isEmpty()) {
                long current = read(c, RATE_READ, ps -> { ps.setString(1, credentialId); ps.setTimestamp(2, Timestamp.from(window)); });
                long daily = read(c, DAILY_READ, ps -> { ps.setString(1, projectId); ps.setDate(2, Date.valueOf(day)); });
                return decision(ErrorType.RATE_LIMITED, new Reservation(dailyLimit, daily, dailyResetsAt),
                        new Reservation(rateLimit, current, rateResetsAt));
            }
            OptionalLong dailyUsed = increment(c, dailyLimit, DAILY_RESERVE, DAILY_COUNT_UNLIMITED,
                    ps -> { ps.setString(1, projectId); ps.setDate(2, Date.valueOf(day)); });
            if (dailyUsed.isEmpty()) {
                // Undo the minute window's increment: the refused call must not count against the credential.
                status.setRollbackOnly();
                long current = read(c, DAILY_READ, ps -> { ps.setString(1, projectId); ps.setDate(2, Date.valueOf(day)); });
                return decision(ErrorType.QUOTA_EXCEEDED, new Reservation(dailyLimit, current, dailyResetsAt),
                        new Reservation(rateLimit, rateUsed.getAsLong() - 1, rateResetsAt));
            }
            return decision(null, new Reservation(dailyLimit, dailyUsed.getAsLong(), dailyResetsAt),
                    new Reservation(rateLimit, rateUsed.getAsLong(), rateResetsAt));
        });
    }

    private static QuotaDecision decision(ErrorType refusal, Reservation daily, Reservation rate) {
        return new QuotaDecision(refusal == null, refusal == null ? null : refusal.name(),
                daily.limit(), daily.used(), daily.remaining(), daily.resetsAt(),
                rate.limit(), rate.remaining(), rate.resetsAt());
    }

    /** Counts one call when below {@code limit}; empty when the limit is reached (nothing written). */
    private static OptionalLong increment(Connection c, long limit, String conditional, String unconditional,
                                          KeyBinder key) {
        if (limit == 0) {
            return OptionalLong.empty();
        }
        boolean unlimited = limit < 0;
        try (PreparedStatement ps = c.prepareStatement(unlimited ? unconditional : conditional)) {
            key.bind(ps);
            if (!unlimited) {
                ps.setLong(3, limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("quota counter update failed", e);
        }
    }

    private static long read(Connection c, String sql, KeyBinder key) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            key.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("quota counter read failed", e);
        }
    }

    @FunctionalInterface
    private interface KeyBinder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
