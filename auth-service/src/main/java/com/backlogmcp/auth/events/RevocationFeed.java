package com.backlogmcp.auth.events;

import com.backlogmcp.auth.support.JdbcStatements;
import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.contracts.internal.RevocationPage;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The revocations of the outbox, read by position ({@code seq}) for edges that cannot wait for {@code auth.grants.v1}
 * (Kafka away or lagging). The outbox row of a revocation commits with the revocation, so what this lists is exactly
 * what stands, whether or not the relay has published it yet.
 *
 * <p>Positions are handed out when a row is inserted, not when its transaction commits: a slower transaction may
 * commit a lower position after a higher one was already read, and a rolled-back one leaves a position forever
 * empty. So the cursor ({@code next}) only moves over a contiguous run of positions; rows past a hole are answered
 * too (applying a revocation twice is harmless) but the cursor waits at the hole until the row after it is
 * {@link #SETTLE} old, longer than any transaction of this service runs, after which the hole can only be a
 * rollback.
 */
@Singleton
public class RevocationFeed {

    static final Duration SETTLE = Duration.ofSeconds(60);

    private static final String PAGE = """
            select seq, payload->>'type', coalesce(payload->>'grantId', payload->>'keyId'), payload->>'at',
                   created_at < now() - make_interval(secs => ?)
            from outbox where seq > ? and topic = ? order by seq limit ?""";
    private static final String START = "select coalesce(min(seq) - 1, (select coalesce(max(seq), 0) from outbox)) "
            + "from outbox where created_at >= ?";

    private final JdbcStatements jdbc;

    RevocationFeed(JdbcStatements jdbc) {
        this.jdbc = jdbc;
    }

    /** The cursor just before the first row written at or after {@code since} (the end when there is none). */
    public long cursorAt(Instant since) {
        return jdbc.prepareStatement(START, ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Up to {@code limit} outbox rows after {@code after}; their revocations and the cursor to ask from next. */
    public RevocationPage after(long after, int limit) {
        return jdbc.prepareStatement(PAGE, ps -> {
            ps.setLong(1, SETTLE.toSeconds());
            ps.setLong(2, after);
            ps.setString(3, Topics.GRANTS);
            ps.setInt(4, limit);
            List<RevocationPage.Revocation> revocations = new ArrayList<>();
            long next = after;
            boolean contiguous = true;
            int rows = 0;
            long last = after;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    long seq = rs.getLong(1);
                    String type = rs.getString(2);
                    String credentialId = rs.getString(3);
                    boolean settled = rs.getBoolean(5);
                    if (contiguous && (seq == next + 1 || settled)) {
                        next = seq;
                    } else {
                        contiguous = false;
                    }
                    last = seq;
                    if ((GrantEvent.GRANT_REVOKED.equals(type) || GrantEvent.KEY_REVOKED.equals(type)) && credentialId != null) {
                        String at = rs.getString(4);
                        revocations.add(new RevocationPage.Revocation(credentialId, at == null ? null : Instant.parse(at)));
                    }
                }
            }
            // Another page is ready at once only when this one was full and the cursor reached its end.
            return new RevocationPage(revocations, next, rows == limit && next == last);
        });
    }
}
