package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may act across a workspace, from live data on every call: the workspace exists, is neither suspended nor
 * without the MCP add-on, and the user is a member of at least one of its projects. The call then covers exactly
 * the projects where the user's role reaches the tool's minimum: membership is per project, so removal from one
 * project drops it from the next call and leaves the others.
 */
public final class WorkspaceAdmission {

    /** The workspace and the user's role in each of its projects (ordered by project id). */
    public record Context(String workspaceId, String plan, Map<String, Role> roles) {

        public List<String> projectsWith(Role minRole) {
            return roles.entrySet().stream().filter(e -> e.getValue().atLeast(minRole)).map(Map.Entry::getKey).toList();
        }
    }

    private WorkspaceAdmission() {
    }

    public static Context admit(ConnectionQueries sql, String workspaceId, String userId) {
        var flags = sql.one("SELECT plan, mcp_enabled, suspended FROM workspaces WHERE id = ?",
                rs -> new Object[]{rs.getString("plan"), rs.getBoolean("mcp_enabled"), rs.getBoolean("suspended")},
                workspaceId).orElseThrow(() -> ToolFailure.of(ErrorType.NOT_FOUND, "No workspace " + workspaceId + ".",
                "Check the workspace id in the endpoint URL."));
        if ((Boolean) flags[2]) {
            throw ToolFailure.of(ErrorType.WORKSPACE_SUSPENDED, "The workspace is suspended.");
        }
        if (!(Boolean) flags[1]) {
            throw ToolFailure.of(ErrorType.MCP_DISABLED, "The MCP add-on is off for this workspace.");
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        sql.list("""
                SELECT m.project_id, m.role FROM members m JOIN projects p ON p.id = m.project_id
                 WHERE p.workspace_id = ? AND m.user_id = ? ORDER BY m.project_id""",
                rs -> roles.put(rs.getString("project_id"), Role.fromWire(rs.getString("role")).orElseThrow()),
                workspaceId, userId);
        if (roles.isEmpty()) {
            throw ToolFailure.of(ErrorType.NOT_A_MEMBER,
                    "The acting user is not a member of any project of workspace " + workspaceId + ".");
        }
        return new Context(workspaceId, (String) flags[0], roles);
    }

    /** A project named on a workspace endpoint must belong to that workspace; another one is simply not found. */
    public static void requireProjectIn(ConnectionQueries sql, String workspaceId, String projectId) {
        if (sql.one("SELECT 1 FROM projects WHERE id = ? AND workspace_id = ?", rs -> 1, projectId, workspaceId).isEmpty()) {
            throw ToolFailure.of(ErrorType.NOT_FOUND, "No project " + projectId + " in this workspace.",
                    "Call list_projects to see the projects you can use here.");
        }
    }
}
