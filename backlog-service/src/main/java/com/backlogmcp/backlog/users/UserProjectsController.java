package com.backlogmcp.backlog.users;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** {@code GET /internal/users/{userId}/projects}: the projects a user is a member of (auth-service's pages). */
@Controller("/internal/users")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UserProjectsController {

    private final TransactionOperations<Connection> tx;

    UserProjectsController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Get("/{userId}/projects")
    Map<String, Object> projects(@PathVariable String userId) {
        List<Map<String, Object>> projects = tx.executeRead(status -> new ConnectionQueries(status.getConnection()).list("""
                SELECT p.id, p.name, w.id AS workspace_id, w.name AS workspace_name, w.plan, w.mcp_enabled, w.suspended, m.role
                  FROM members m JOIN projects p ON p.id = m.project_id JOIN workspaces w ON w.id = p.workspace_id
                 WHERE m.user_id = ? ORDER BY w.name, p.name, p.id""",
                rs -> ResultMaps.of("projectId", rs.getString("id"), "projectName", rs.getString("name"),
                        "workspaceId", rs.getString("workspace_id"), "workspaceName", rs.getString("workspace_name"),
                        "plan", rs.getString("plan"), "mcpEnabled", rs.getBoolean("mcp_enabled"),
                        "suspended", rs.getBoolean("suspended"), "role", rs.getString("role")), userId));
        return Map.of("projects", projects);
    }
}
