package com.backlogmcp.auth.grant;

import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.support.JdbcStatements;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Opaque refresh tokens (30 days, stored hashed), rotated on every use. */
@Singleton
public class RefreshTokenStore {

    public static final Duration LIFETIME = Duration.ofDays(30);

    public record RefreshToken(String tokenHash, String grantId, String clientId, String resource, String scope, Instant expiresAt) {
    }

    /** Outcome of presenting a refresh token. */
    public sealed interface Presentation permits Fresh, Reused, Unknown {
    }

    public record Fresh(RefreshToken token) implements Presentation {
    }

    /** A token that was already rotated: someone holds a copy. */
    public record Reused(RefreshToken token) implements Presentation {
    }

    public record Unknown() implements Presentation {
    }

    private final JdbcStatements jdbc;
    private final Clock clock;

    RefreshTokenStore(JdbcStatements jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public String issue(String grantId, String clientId, String resource, String scope) {
        String raw = Secrets.newSecret();
        Instant now = clock.instant();
        jdbc.prepareStatement("insert into refresh_tokens (token_hash, grant_id, client_id, resource, scope, created_at, expires_at) values (?,?,?,?,?,?,?)", ps -> {
            ps.setString(1, Secrets.sha256(raw));
            ps.setString(2, grantId);
            ps.setString(3, clientId);
            ps.setString(4, resource);
            ps.setString(5, scope);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now.plus(LIFETIME)));
            return ps.executeUpdate();
        });
        return raw;
    }

    /** Spends the token in one statement (rotation); a second presentation is a {@link Reused}. */
    public Presentation spend(String raw) {
        String hash = Secrets.sha256(raw);
        String cols = "token_hash, grant_id, client_id, resource, scope, expires_at";
        Optional<RefreshToken> fresh = jdbc.prepareStatement(
                "update refresh_tokens set rotated_at = ? where token_hash = ? and rotated_at is null returning " + cols, ps -> {
                    ps.setTimestamp(1, Timestamp.from(clock.instant()));
                    ps.setString(2, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(map(rs)) : Optional.<RefreshToken>empty();
                    }
                });
        if (fresh.isPresent()) {
            return new Fresh(fresh.get());
        }
        return jdbc.prepareStatement("select " + cols + " from refresh_tokens where token_hash = ?", ps -> {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Reused(map(rs)) : new Unknown();
            }
        });
    }

    /** Looks a token up without spending it (revocation endpoint). */
    public Optional<RefreshToken> find(String raw) {
        return jdbc.prepareStatement("select token_hash, grant_id, client_id, resource, scope, expires_at from refresh_tokens where token_hash = ?", ps -> {
            ps.setString(1, Secrets.sha256(raw));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.<RefreshToken>empty();
            }
        });
    }

    private static RefreshToken map(ResultSet rs) throws java.sql.SQLException {
        return new RefreshToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant());
    }
}
