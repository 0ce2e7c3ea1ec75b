package com.backlogmcp.auth.apikey;

import com.backlogmcp.auth.support.JdbcStatements;
import com.backlogmcp.auth.support.Secrets;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API keys table; the key itself is stored only as SHA-256 plus its last four characters as a hint. */
@Singleton
class ApiKeyStore {

    private static final String COLUMNS = "id, name, hint, user_id, workspace_id, project_id, scope, created_at, revoked_at";
    private final JdbcStatements jdbc;
    private final Clock clock;

    ApiKeyStore(JdbcStatements jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    ApiKey insert(String secret, String name, String userId, String workspaceId, String projectId, String scope) {
        ApiKey k = new ApiKey(Secrets.newId("key_"), name, secret.substring(secret.length() - 4), userId, workspaceId, projectId, scope, clock.instant(), null);
        jdbc.insert("api_keys", new JdbcStatements.Columns()
                .set("id", k.id())
                .set("secret_hash", Secrets.sha256(secret))
                .set("hint", k.hint())
                .set("user_id", userId)
                .set("name", name)
                .set("workspace_id", workspaceId)
                .set("project_id", projectId)
                .set("scope", scope)
                .set("created_at", k.createdAt()));
        return k;
    }

    Optional<ApiKey> bySecret(String secret) {
        return jdbc.prepareStatement("select " + COLUMNS + ", secret_hash from api_keys where secret_hash = ?", ps -> {
            String hash = Secrets.sha256(secret);
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                // The index lookup found the row by hash; compare again in constant time before trusting it.
                return rs.next() && Secrets.constantTimeEquals(hash, rs.getString("secret_hash")) ? Optional.of(map(rs)) : Optional.<ApiKey>empty();
            }
        });
    }

    List<ApiKey> activeForUser(String userId) {
        return jdbc.prepareStatement("select " + COLUMNS + " from api_keys where user_id = ? and revoked_at is null order by created_at desc", ps -> {
            ps.setString(1, userId);
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        });
    }

    /** Revokes the user's own key; answers the key when this call revoked it. */
    Optional<ApiKey> revoke(String userId, String keyId) {
        return jdbc.prepareStatement("update api_keys set revoked_at = ? where id = ? and user_id = ? and revoked_at is null returning " + COLUMNS, ps -> {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, keyId);
            ps.setString(3, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.<ApiKey>empty();
            }
        });
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("hint"), rs.getString("user_id"),
                rs.getString("workspace_id"), rs.getString("project_id"), rs.getString("scope"),
                rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
