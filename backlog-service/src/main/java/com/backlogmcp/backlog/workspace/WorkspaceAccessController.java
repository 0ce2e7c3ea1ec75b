package com.backlogmcp.backlog.workspace;

import com.backlogmcp.backlog.authz.WorkspaceAccesses;
import com.backlogmcp.backlog.support.ConnectionQueries;
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
import java.util.Map;

/**
 * {@code GET /internal/workspaces/{workspaceId}/access[?userId=]}: the workspace's flags and the projects of it the
 * user is a member of, with their role (none without userId). 404 when the workspace does not exist. Read live,
 * never cached: auth-service's consent for a workspace endpoint decides on it, and the edge its checks of a call
 * across the workspace when the tool's own answer did not carry the same reading ({@code WorkspaceAccesses}).
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
        return tx.executeRead(status -> WorkspaceAccesses.find(new ConnectionQueries(status.getConnection()), workspaceId, userId)
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(Map.of("error", "not_found", "message", "no workspace " + workspaceId))));
    }
}
