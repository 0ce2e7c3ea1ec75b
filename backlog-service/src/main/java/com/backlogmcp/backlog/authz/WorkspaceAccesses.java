package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Optional;

/**
 * The access of (workspace, user): the workspace's flags and plan, and the projects of it the user is a member of
 * with their role (by project name, then id). One reading for everything that decides on it — the access endpoint,
 * the admission of calls across the workspace — so they cannot disagree. Read live every time, never cached.
 */
public final class WorkspaceAccesses {

    private WorkspaceAccesses() {
    }

    /** Empty when the workspace does not exist; without {@code userId} the workspace's flags and no projects. */
    public static Optional<WorkspaceAccess> find(ConnectionQueries sql, String workspaceId, @Nullable String userId) {
        return sql.one("SELECT id, name, plan, mcp_enabled, suspended FROM workspaces WHERE id = ?",
                rs -> new WorkspaceAccess(rs.getString("id"), rs.getString("name"), rs.getString("plan"),
                        rs.getBoolean("mcp_enabled"), rs.getBoolean("suspended"), null), workspaceId)
                .map(w -> new WorkspaceAccess(w.workspaceId(), w.workspaceName(), w.plan(), w.mcpEnabled(), w.suspended(),
                        userId == null ? List.of() : projects(sql, workspaceId, userId)));
    }

    private static List<WorkspaceAccess.MemberProject> projects(ConnectionQueries sql, String workspaceId, String userId) {
        return sql.list("""
                SELECT p.id, p.name, m.role FROM members m JOIN projects p ON p.id = m.project_id
                 WHERE p.workspace_id = ? AND m.user_id = ? ORDER BY p.name, p.id""",
                rs -> new WorkspaceAccess.MemberProject(rs.getString("id"), rs.getString("name"), rs.getString("role")),
                workspaceId, userId);
    }
}
