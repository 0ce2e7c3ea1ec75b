package com.backlogmcp.auth.user;

import com.backlogmcp.auth.support.JdbcStatements;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Slows password guessing without handing anyone a way to lock others out. Two limits, each within {@link #WINDOW}:
 * <ul>
 *   <li>{@link #PER_ACCOUNT_AND_ADDRESS} failures for one account <em>from one address</em> stop that address trying
 *       that account — the owner signing in from anywhere else is unaffected;</li>
 *   <li>{@link #PER_ADDRESS} failures from one address, whatever the accounts, stop that address.</li>
 * </ul>
 * There is deliberately no account-wide lock: counting an account's failures from every address would let anyone
 * lock its owner out with a few wrong guesses. Guessing from many addresses is bounded by the per-address limits and
 * the cost of each password check. The address is {@link com.backlogmcp.auth.support.AuthSettings#clientAddress}
 * (behind an ingress, the header it sets). Counted in the database, so every replica sees the same count.
 */
@Singleton
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_ACCOUNT_AND_ADDRESS = 5;
    static final int PER_ADDRESS = 20;

    private final JdbcStatements jdbc;
    private final Clock clock;

    LoginThrottle(JdbcStatements jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    boolean blocked(String email, String address) {
        Instant since = clock.instant().minus(WINDOW);
        return failures("account = ? and address = ?", since, account(email), address) >= PER_ACCOUNT_AND_ADDRESS
                || failures("address = ?", since, address) >= PER_ADDRESS;
    }

    void recordFailure(String email, String address) {
        jdbc.prepareStatement("insert into login_failures (account, address, at) values (?,?,?)", ps -> {
            ps.setString(1, account(email));
            ps.setString(2, address);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            return ps.executeUpdate();
        });
    }

    /**
     * Forgets this address's failures on this account (a typo followed by the right password starts afresh), never
     * another address's: the owner signing in must not reset an attacker's count.
     */
    void recordSuccess(String email, String address) {
        jdbc.prepareStatement("delete from login_failures where (account = ? and address = ?) or at < ?", ps -> {
            ps.setString(1, account(email));
            ps.setString(2, address);
            ps.setTimestamp(3, Timestamp.from(clock.instant().minus(WINDOW)));
            return ps.executeUpdate();
        });
    }

    private static String account(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private int failures(String where, Instant since, String... values) {
        return jdbc.prepareStatement("select count(*) from login_failures where " + where + " and at > ?", ps -> {
            int i = 1;
            for (String v : values) {
                ps.setString(i++, v);
            }
            ps.setTimestamp(i, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
