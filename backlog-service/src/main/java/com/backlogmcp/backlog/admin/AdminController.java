package com.backlogmcp.backlog.admin;

import com.backlogmcp.backlog.outbox.Outbox;
import com.backlogmcp.backlog.outbox.OutboxRelay;
import com.backlogmcp.backlog.support.BadRequest;
import com.backlogmcp.backlog.support.RequestBodies;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.contracts.vocabulary.Plan;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Platform admin API: list workspaces, and set a workspace's plan, MCP add-on and suspension. Every change is
 * logged with the acting admin and announced on backlog.changes.v1 (workspace.changed) through the outbox.
 */
@Controller("/internal/admin/workspaces")
@ExecuteOn(TaskExecutors.BLOCKING)
final class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);
    private static final Set<String> PATCH_KEYS = Set.of("plan", "mcpEnabled", "suspended");
    private static final String SELECT = """
            SELECT w.id, w.name, w.plan, w.mcp_enabled, w.suspended, w.created_at, w.updated_at,
                   coalesce((SELECT json_agg(json_build_object('projectId', p.id, 'name', p.name) ORDER BY p.id)::text
                               FROM projects p WHERE p.workspace_id = w.id), '[]') AS projects
              FROM workspaces w""";

    private final TransactionOperations<Connection> tx;
    private final OutboxRelay relay;

    AdminController(TransactionOperations<Connection> tx, OutboxRelay relay) {
        this.tx = tx;
        this.relay = relay;
    }

    @Get
    HttpResponse<?> list(HttpRequest<?> request) {
        if (PlatformAdminGuard.actingAdmin(request).isEmpty()) {
            return forbidden();
        }
        List<Map<String, Object>> workspaces = tx.executeRead(status -> new ConnectionQueries(status.getConnection())
                .list(SELECT + " ORDER BY w.name, w.id", AdminController::row));
        return HttpResponse.ok(Map.of("workspaces", workspaces));
    }

    @Patch("/{workspaceId}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> update(HttpRequest<?> request, @PathVariable String workspaceId, @Nullable @Body String body) {
        Optional<String> admin = PlatformAdminGuard.actingAdmin(request);
        if (admin.isEmpty()) {
            return forbidden();
        }
        var patch = RequestBodies.object(body, PATCH_KEYS);
        String planText = RequestBodies.optionalText(patch, "plan");
        if (planText != null && Plan.fromWire(planText).isEmpty()) {
            throw new BadRequest("invalid_request", "plan must be one of free, pro, business, enterprise");
        }
        Boolean mcpEnabled = RequestBodies.optionalBoolean(patch, "mcpEnabled");
        Boolean suspended = RequestBodies.optionalBoolean(patch, "suspended");
        Optional<Map<String, Object>> updated = tx.executeWrite(status -> {
            ConnectionQueries sql = new ConnectionQueries(status.getConnection());
            List<String> sets = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            if (planText != null) {
                sets.add("plan = ?");
                params.add(planText);
            }
            if (mcpEnabled != null) {
                sets.add("mcp_enabled = ?");
                params.add(mcpEnabled);
            }
            if (suspended != null) {
                sets.add("suspended = ?");
                params.add(suspended);
            }
            if (!sets.isEmpty()) {
                params.add(workspaceId);
                if (sql.update("UPDATE workspaces SET " + String.join(", ", sets) + ", updated_at = now() WHERE id = ?",
                        params.toArray()) == 1) {
                    Outbox.workspaceChanged(sql, workspaceId);
                }
            }
            return sql.one(SELECT + " WHERE w.id = ?", AdminController::row, workspaceId);
        });
        if (updated.isEmpty()) {
            return HttpResponse.notFound(Map.of("error", "not_found", "message", "no workspace with this id"));
        }
        LOG.info("platform admin {} updated workspace {}: plan={} mcpEnabled={} suspended={}", admin.get(), workspaceId,
                planText, mcpEnabled, suspended);
        relay.wake();
        return HttpResponse.ok(updated.get());
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Object projects;
        try {
            projects = com.backlogmcp.backlog.support.Json.MAPPER.readValue(rs.getString("projects"), List.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return ResultMaps.of("workspaceId", rs.getString("id"), "name", rs.getString("name"), "plan", rs.getString("plan"),
                "mcpEnabled", rs.getBoolean("mcp_enabled"), "suspended", rs.getBoolean("suspended"),
                "projects", projects, "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")),
                "updatedAt", ResultMaps.time(ConnectionQueries.instant(rs, "updated_at")));
    }

    private static HttpResponse<?> forbidden() {
        return HttpResponse.status(io.micronaut.http.HttpStatus.FORBIDDEN).body(Map.of("error", "forbidden",
                "message", "the platform admin API is only for auth-service acting for a platform admin"));
    }
}
