package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.outbox.Outbox;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.contracts.events.BacklogChangeEvent;
import com.backlogmcp.contracts.vocabulary.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Memberships waiting for a person who has no account yet. The invitation link carries a 256-bit random token;
 * only its SHA-256 is stored, so the table never holds a usable credential, and a look-up by hash needs no
 * constant-time comparison (the hash of an unguessable token is itself unguessable). An invitation becomes a
 * membership when auth-service reports that the invited email signed in; each invitation is accepted at most once
 * because acceptance is a conditional UPDATE of its row.
 */
public final class Invitations {

    private static final SecureRandom RANDOM = new SecureRandom();

    static final String COLUMNS = "v.id, v.project_id, v.email, v.role, v.status, v.created_at, v.expires_at, "
            + "v.invited_by, p.name AS project_name, w.id AS workspace_id, w.name AS workspace_name";
    static final String FROM = " FROM invitations v JOIN projects p ON p.id = v.project_id"
            + " JOIN workspaces w ON w.id = p.workspace_id";

    private Invitations() {
    }

    /** A new invitation and the link (with its one-time token) to hand to the invited person. */
    public record Created(Map<String, Object> view, String token) {
    }

    static Schema schema() {
        return Schema.object()
                .prop("id", Schema.string())
                .prop("email", Schema.string().description("The invited address."))
                .prop("role", Schema.enumOf(MemberStore.ROLES))
                .prop("status", Schema.enumOf("pending", "accepted", "revoked", "expired"))
                .prop("createdAt", SharedSchemas.timestamp("When the invitation was made."))
                .prop("expiresAt", SharedSchemas.timestamp("After this the link no longer works."))
                .prop("acceptUrl", Schema.string().description("The link to send to the person (only in the "
                        + "answer of the call that made the invitation): they create their account there."));
    }

    static Map<String, Object> row(ResultSet rs) throws SQLException {
        return ResultMaps.of("id", rs.getString("id"), "projectId", rs.getString("project_id"),
                "projectName", UntrustedText.wrap(rs.getString("project_name")),
                "workspaceId", rs.getString("workspace_id"),
                "workspaceName", UntrustedText.wrap(rs.getString("workspace_name")),
                "email", rs.getString("email"), "role", rs.getString("role"), "status", rs.getString("status"),
                "invitedBy", rs.getString("invited_by"),
                "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")),
                "expiresAt", ResultMaps.time(ConnectionQueries.instant(rs, "expires_at")));
    }

    /** Fails with a unique violation (a CONFLICT for the tool) when the email already has an open invitation. */
    static Created create(ConnectionQueries sql, String workspaceId, String projectId, String email, Role role, String displayName,
                          String invitedBy, Duration ttl) {
        sql.update("UPDATE invitations SET status = 'expired' WHERE project_id = ? AND email = ? AND status = 'pending'"
                + " AND expires_at <= now()", projectId, email);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String id = Ids.next("inv");
        sql.update("""
                INSERT INTO invitations (id, project_id, email, role, display_name, token_hash, invited_by, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                id, projectId, email, role.wire(), displayName, hash(token), invitedBy, Instant.now().plus(ttl));
        Outbox.invitation(sql, BacklogChangeEvent.INVITATION_CREATED, workspaceId, projectId, id, null);
        return new Created(byId(sql, id).orElseThrow(), token);
    }

    static Optional<Map<String, Object>> byId(ConnectionQueries sql, String id) {
        return sql.one("SELECT " + COLUMNS + FROM + " WHERE v.id = ?", Invitations::row, id);
    }

    /** The open invitation a link's token names; empty when unknown, accepted, revoked or expired. */
    public static Optional<Map<String, Object>> open(ConnectionQueries sql, String token) {
        return sql.one("SELECT " + COLUMNS + FROM + " WHERE v.token_hash = ? AND v.status = 'pending' AND v.expires_at > now()",
                Invitations::row, hash(token));
    }

    /**
     * Turns every open invitation of {@code email} into a membership of {@code userId}. The conditional UPDATE
     * locks each row, so two sign-ins at once accept each invitation once; someone who is already a member keeps
     * their role. Answers the memberships made.
     */
    public static List<Map<String, Object>> claim(ConnectionQueries sql, String userId, String email, String displayName) {
        sql.update("UPDATE invitations SET status = 'expired' WHERE email = ? AND status = 'pending' AND expires_at <= now()",
                email);
        List<Map<String, Object>> accepted = sql.list("""
                UPDATE invitations v SET status = 'accepted', accepted_by = ?, accepted_at = now()
                  FROM projects p WHERE p.id = v.project_id AND v.email = ? AND v.status = 'pending'
                RETURNING v.id, v.project_id, v.role, v.display_name, p.workspace_id, p.name""",
                rs -> ResultMaps.of("invitationId", rs.getString("id"), "projectId", rs.getString("project_id"),
                        "role", rs.getString("role"), "displayName", rs.getString("display_name"),
                        "workspaceId", rs.getString("workspace_id"), "projectName", rs.getString("name")),
                userId, email);
        for (Map<String, Object> a : accepted) {
            String projectId = (String) a.get("projectId");
            String workspaceId = (String) a.get("workspaceId");
            String name = a.get("displayName") != null ? (String) a.get("displayName") : displayName;
            sql.update("""
                    INSERT INTO members (project_id, user_id, role, display_name) VALUES (?, ?, ?, ?)
                    ON CONFLICT (project_id, user_id) DO NOTHING""", projectId, userId, a.get("role"), name);
            Outbox.membershipChanged(sql, workspaceId, projectId, userId);
            Outbox.invitation(sql, BacklogChangeEvent.INVITATION_ACCEPTED, workspaceId, projectId,
                    (String) a.get("invitationId"), userId);
        }
        return accepted.stream().map(a -> ResultMaps.of("projectId", a.get("projectId"),
                "projectName", a.get("projectName"), "role", a.get("role"))).toList();
    }

    /** Open invitations a user sent, newest first (their account page). */
    public static List<Map<String, Object>> sentBy(ConnectionQueries sql, String userId) {
        return sql.list("SELECT " + COLUMNS + FROM + " WHERE v.invited_by = ? AND v.status = 'pending'"
                + " AND v.expires_at > now() ORDER BY v.created_at DESC LIMIT 100", Invitations::row, userId);
    }

    /** Open invitations of a project, for list_members' admins. */
    static List<Map<String, Object>> openIn(ConnectionQueries sql, String projectId) {
        return sql.list("SELECT " + COLUMNS + FROM + " WHERE v.project_id = ? AND v.status = 'pending'"
                + " AND v.expires_at > now() ORDER BY v.created_at DESC LIMIT 100", Invitations::row, projectId);
    }

    /**
     * Withdraws an open invitation; only its sender or an admin/owner of its project may. Answers false when
     * there is no such open invitation the user may withdraw.
     */
    public static boolean revoke(ConnectionQueries sql, String invitationId, String userId) {
        return sql.update("""
                UPDATE invitations v SET status = 'revoked'
                 WHERE v.id = ? AND v.status = 'pending'
                   AND (v.invited_by = ? OR EXISTS (SELECT 1 FROM members m WHERE m.project_id = v.project_id
                                                      AND m.user_id = ? AND m.role IN ('admin', 'owner')))""",
                invitationId, userId, userId) == 1;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
