package com.backlogmcp.auth.grant;

import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.support.JdbcStatements;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Authorization codes: 60 s, single use, stored hashed. */
@Singleton
public class AuthorizationCodeStore {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String COLUMNS = "code_hash, client_id, user_id, redirect_uri, code_challenge, resource, project_id, workspace_id, scope, expires_at, used_at, grant_id";

    /** Outcome of presenting a code: first use, a replay of a spent one, or nothing known. */
    public sealed interface Redemption permits FirstUse, Replay, Unknown {
    }

    public record FirstUse(AuthorizationCode code) implements Redemption {
    }

    public record Replay(AuthorizationCode code) implements Redemption {
    }

    public record Unknown() implements Redemption {
    }

    private final JdbcStatements jdbc;
    private final Clock clock;

    AuthorizationCodeStore(JdbcStatements jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores a new code and answers the raw value, which exists only in the redirect to the client. */
    public String issue(String clientId, String userId, String redirectUri, String codeChallenge, String resource,
                        String projectId, String workspaceId, String scope) {
        String raw = Secrets.newSecret();
        Instant now = clock.instant();
        jdbc.insert("authorization_codes", new JdbcStatements.Columns()
                .set("code_hash", Secrets.sha256(raw))
                .set("client_id", clientId)
                .set("user_id", userId)
                .set("redirect_uri", redirectUri)
                .set("code_challenge", codeChallenge)
                .set("resource", resource)
                .set("project_id", projectId)
                .set("workspace_id", workspaceId)
                .set("scope", scope)
                .set("created_at", now)
                .set("expires_at", now.plus(LIFETIME)));
        return raw;
    }

    /**
     * Marks the code used in one statement, so of two concurrent exchanges exactly one is the first use
     * (the other waits on the row lock, then sees it spent).
     */
    public Redemption redeem(String rawCode) {
        String hash = Secrets.sha256(rawCode);
        Optional<AuthorizationCode> first = jdbc.prepareStatement(
                "update authorization_codes set used_at = ? where code_hash = ? and used_at is null returning " + COLUMNS, ps -> {
                    ps.setTimestamp(1, Timestamp.from(clock.instant()));
                    ps.setString(2, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(map(rs)) : Optional.<AuthorizationCode>empty();
                    }
                });
        if (first.isPresent()) {
            return new FirstUse(first.get());
        }
        return jdbc.prepareStatement("select " + COLUMNS + " from authorization_codes where code_hash = ?", ps -> {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Replay(map(rs)) : new Unknown();
            }
        });
    }

    public void attachGrant(String codeHash, String grantId) {
        jdbc.prepareStatement("update authorization_codes set grant_id = ? where code_hash = ?", ps -> {
            ps.setString(1, grantId);
            ps.setString(2, codeHash);
            return ps.executeUpdate();
        });
    }

    private static AuthorizationCode map(ResultSet rs) throws SQLException {
        Timestamp used = rs.getTimestamp("used_at");
        return new AuthorizationCode(rs.getString("code_hash"), rs.getString("client_id"), rs.getString("user_id"),
                rs.getString("redirect_uri"), rs.getString("code_challenge"), rs.getString("resource"),
                rs.getString("project_id"), rs.getString("workspace_id"), rs.getString("scope"),
                rs.getTimestamp("expires_at").toInstant(), used == null ? null : used.toInstant(), rs.getString("grant_id"));
    }
}
