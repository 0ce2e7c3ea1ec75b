package com.backlogmcp.backlog.resources;

import com.backlogmcp.backlog.authz.Admission;
import com.backlogmcp.backlog.support.ErrorResponses;
import com.backlogmcp.backlog.support.RequestBodies;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.Set;

/**
 * {@code POST /internal/resources/read} {@code {projectId, userId, uri}} (a project endpoint) or
 * {@code {workspaceId, userId, uri}} (a workspace endpoint) → {@code {contents: [{uri, mimeType, text}]}}.
 */
@Controller("/internal/resources")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ResourcesController {

    private static final Set<String> KEYS = Set.of("projectId", "workspaceId", "userId", "uri");

    private final TransactionOperations<Connection> tx;

    ResourcesController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Post("/read")
    @Consumes(MediaType.ALL)
    HttpResponse<?> read(@Nullable @Body String body) {
        var request = RequestBodies.object(body, KEYS);
        String workspaceId = RequestBodies.optionalText(request, "workspaceId");
        String userId = RequestBodies.requiredText(request, "userId");
        String uri = RequestBodies.requiredText(request, "uri");
        if (workspaceId != null) {
            try {
                return HttpResponse.ok(tx.executeRead(status ->
                        WorkspaceResourceReader.read(new ConnectionQueries(status.getConnection()), workspaceId, userId, uri)));
            } catch (ToolFailure f) {
                return ErrorResponses.of(f);
            }
        }
        String projectId = RequestBodies.requiredText(request, "projectId");
        try {
            return HttpResponse.ok(tx.executeRead(status -> {
                ConnectionQueries sql = new ConnectionQueries(status.getConnection());
                Admission.admit(sql, projectId, userId, "resources/read", Role.VIEWER, false);
                return ResourceReader.read(sql, projectId, uri);
            }));
        } catch (ToolFailure f) {
            return ErrorResponses.of(f);
        }
    }
}
