package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.contracts.internal.AuthzContext;

import java.util.Optional;

/**
 * The authorization context of (project, user): the project's workspace flags and the user's role, in one
 * primary-key probe of projects, workspaces and members. Read live every time; nothing here is cached, so a
 * removed member is refused on the very next call.
 */
public final class ProjectAuthzContexts {

    private static final String QUERY = """
            SELECT p.id, p.name, w.id AS workspace_id, w.name AS workspace_name, w.plan, w.mcp_enabled, w.suspended,
                   m.role
              FROM projects p
              JOIN workspaces w ON w.id = p.workspace_id
              LEFT JOIN members m ON m.project_id = p.id AND m.user_id = ?
             WHERE p.id = ?""";

    private ProjectAuthzContexts() {
    }

    public static Optional<AuthzContext> find(ConnectionQueries sql, String projectId, String userId) {
        return sql.one(QUERY, rs -> new AuthzContext(rs.getString("id"), rs.getString("name"),
                rs.getString("workspace_id"), rs.getString("workspace_name"), rs.getString("plan"),
                rs.getBoolean("mcp_enabled"), rs.getBoolean("suspended"), rs.getString("role")), userId, projectId);
    }
}
