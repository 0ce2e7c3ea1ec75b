package com.backlogmcp.auth.user;

import com.backlogmcp.auth.support.Db;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Slows password guessing: at most {@link #PER_ACCOUNT} failures per account and {@link #PER_ADDRESS} per client
 * address within {@link #WINDOW}. Counted in the database, so every replica sees the same count.
 */
@Singleton
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_ACCOUNT = 5;
    static final int PER_ADDRESS = 20;

    private final Db jdbc;
    private final Clock clock;

    LoginThrottle(Db jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    boolean blocked(String email, String address) {
        Instant since = clock.instant().minus(WINDOW);
        return count("account", email.trim().toLowerCase(Locale.ROOT), since) >= PER_ACCOUNT || count("address", address, since) >= PER_ADDRESS;
    }

    void recordFailure(String email, String address) {
        jdbc.prepareStatement("insert into login_failures (account, address, at) values (?,?,?)", ps -> {
            ps.setString(1, email.trim().toLowerCase(Locale.ROOT));
            ps.setString(2, address);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            return ps.executeUpdate();
        });
    }

    void recordSuccess(String email) {
        jdbc.prepareStatement("delete from login_failures where account = ? or at < ?", ps -> {
            ps.setString(1, email.trim().toLowerCase(Locale.ROOT));
            ps.setTimestamp(2, Timestamp.from(clock.instant().minus(WINDOW)));
            return ps.executeUpdate();
        });
    }

    private int count(String column, String value, Instant since) {
        return jdbc.prepareStatement("select count(*) from login_failures where " + column + " = ? and at > ?", ps -> {
            ps.setString(1, value);
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
