package com.backlogmcp.auth.grant;

import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.support.Db;
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
    private final Db jdbc;
    private final Clock clock;

    GrantStore(Db jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Grant create(String userId, String clientId, String projectId, String workspaceId, String resource,
                        String scope, String redirectUri) {
        Grant g = new Grant(Secrets.newId("grt_"), userId, clientId, projectId, workspaceId, resource, scope, redirectUri,
                clock.instant(), null, null);
        jdbc.prepareStatement("insert into grants (" + COLUMNS + ") values (?,?,?,?,?,?,?,?,?,null,null)", ps -> {
            ps.setString(1, g.id());
            ps.setString(2, g.userId());
            ps.setString(3, g.clientId());
            ps.setString(4, g.projectId());
            ps.setString(5, g.workspaceId());
            ps.setString(6, g.resource());
            ps.setString(7, g.scope());
            ps.setString(8, g.redirectUri());
            ps.setTimestamp(9, Timestamp.from(g.createdAt()));
            return ps.executeUpdate();
        });
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
        Timestamp revoked = rs.getTimestamp(10);
        return new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                revoked == null ? null : revoked.toInstant(), rs.getString(11));
    }
}
