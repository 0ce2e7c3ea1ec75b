package com.backlogmcp.backlog.workspace;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /internal/workspaces/{workspaceId}/access[?userId=]}: the workspace's flags and the projects of it the
 * user is a member of, with their role (none without userId). 404 when the workspace does not exist. Read live,
 * never cached: auth-service's consent for a workspace endpoint and the edge's checks decide on it.
 */
@Controller("/internal/workspaces")
@ExecuteOn(TaskExecutors.BLOCKING)
final class WorkspaceAccessController {

    private final TransactionOperations<Connection> tx;

    WorkspaceAccessController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Get("/{workspaceId}/access")
    HttpResponse<?> access(@PathVariable String workspaceId, @Nullable @QueryValue String userId) {
        return tx.executeRead(status -> {
            ConnectionQueries sql = new ConnectionQueries(status.getConnection());
            var workspace = sql.one("SELECT id, name, plan, mcp_enabled, suspended FROM workspaces WHERE id = ?",
                    rs -> ResultMaps.of("workspaceId", rs.getString("id"), "workspaceName", rs.getString("name"),
                            "plan", rs.getString("plan"), "mcpEnabled", rs.getBoolean("mcp_enabled"),
                            "suspended", rs.getBoolean("suspended")), workspaceId);
            if (workspace.isEmpty()) {
                return HttpResponse.notFound(Map.of("error", "not_found", "message", "no workspace " + workspaceId));
            }
            List<Map<String, Object>> projects = userId == null ? List.of() : sql.list("""
                    SELECT p.id, p.name, m.role FROM members m JOIN projects p ON p.id = m.project_id
                     WHERE p.workspace_id = ? AND m.user_id = ? ORDER BY p.name, p.id""",
                    rs -> ResultMaps.of("projectId", rs.getString("id"), "projectName", rs.getString("name"),
                            "role", rs.getString("role")), workspaceId, userId);
            Map<String, Object> out = workspace.get();
            out.put("projects", projects);
            return HttpResponse.ok(out);
        });
    }
}
