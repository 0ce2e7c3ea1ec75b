package com.backlogmcp.auth.grant;

import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.support.JdbcStatements;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Grants table. Callers own the transaction. */
@Singleton
public class GrantStore {

    private static final String COLUMNS = "id, user_id, client_id, project_id, workspace_id, resource, scope, redirect_uri, created_at, revoked_at, revoke_reason";
    private final JdbcStatements jdbc;
    private final Clock clock;

    GrantStore(JdbcStatements jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Grant create(String userId, String clientId, String projectId, String workspaceId, String resource,
                        String scope, String redirectUri) {
        Grant g = new Grant(Secrets.newId("grt_"), userId, clientId, projectId, workspaceId, resource, scope, redirectUri,
                clock.instant(), null, null);
        jdbc.insert("grants", new JdbcStatements.Columns()
                .set("id", g.id())
                .set("user_id", g.userId())
                .set("client_id", g.clientId())
                .set("project_id", g.projectId())
                .set("workspace_id", g.workspaceId())
                .set("resource", g.resource())
                .set("scope", g.scope())
                .set("redirect_uri", g.redirectUri())
                .set("created_at", g.createdAt()));
        return g;
    }

    public Optional<Grant> find(String id) {
        return jdbc.prepareStatement("select " + COLUMNS + " from grants where id = ?", ps -> {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.<Grant>empty();
            }
        });
    }

    public List<Grant> activeForUser(String userId) {
        return jdbc.prepareStatement("select " + COLUMNS + " from grants where user_id = ? and revoked_at is null order by created_at desc", ps -> {
            ps.setString(1, userId);
            List<Grant> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        });
    }

    /** Ids of the grants still standing for a client (revoked with it when its registration is deleted). */
    public List<String> activeIdsForClient(String clientId) {
        return jdbc.prepareStatement("select id from grants where client_id = ? and revoked_at is null", ps -> {
            ps.setString(1, clientId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** Marks the grant revoked; answers false when it was already revoked (so an event is published once). */
    public boolean revoke(String grantId, String reason) {
        Instant now = clock.instant();
        return jdbc.prepareStatement("update grants set revoked_at = ?, revoke_reason = ? where id = ? and revoked_at is null", ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, reason);
            ps.setString(3, grantId);
            return ps.executeUpdate() == 1;
        });
    }

    private static Grant map(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new Grant(rs.getString("id"), rs.getString("user_id"), rs.getString("client_id"), rs.getString("project_id"),
                rs.getString("workspace_id"), rs.getString("resource"), rs.getString("scope"), rs.getString("redirect_uri"),
                rs.getTimestamp("created_at").toInstant(), revoked == null ? null : revoked.toInstant(),
                rs.getString("revoke_reason"));
    }
}
