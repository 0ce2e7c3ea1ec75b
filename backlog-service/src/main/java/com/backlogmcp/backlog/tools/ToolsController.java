package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.support.RequestBodies;
import com.backlogmcp.contracts.Headers;
import com.backlogmcp.contracts.internal.ToolCallRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;
import java.util.Set;

/**
 * {@code POST /internal/tools/{name}} with {@code ToolCallRequest{projectId, userId, clientId?, arguments}} (a project
 * endpoint's call) or {@code {workspaceId, projectId?, userId, clientId?, arguments}} (a workspace endpoint's call,
 * the project chosen by the edge or named by the {@code projectId} argument): 200 with a {@code ToolCallResult} once
 * the tool ran or refused; 404 for a tool the endpoint's catalog view does not have; 400 for a body that is not a
 * well-formed request. The optional {@code requires} can only make the live checks stricter (see
 * {@link ToolExecutor#execute(String, String, String, String, com.fasterxml.jackson.databind.JsonNode, ToolCallRequest.Requirements)}).
 */
@Controller("/internal/tools")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ToolsController {

    private static final Set<String> KEYS = Set.of("projectId", "workspaceId", "userId", "clientId", "arguments", "requires");

    private final ToolExecutor executor;

    ToolsController(ToolExecutor executor) {
        this.executor = executor;
    }

    @Post("/{name}")
    @Consumes(MediaType.ALL)
    HttpResponse<?> call(@PathVariable String name, @Nullable @Body String body,
                         @Nullable @Header(Headers.CALL_DEADLINE) String deadlineHeader) {
        CallDeadline deadline;
        try {
            deadline = CallDeadline.parse(deadlineHeader);
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(Map.of("error", "invalid_request", "message", e.getMessage()));
        }
        try {
            return run(name, body, deadline);
        } catch (CallDeadline.Passed e) {
            // The caller has stopped waiting; the status tells one that has not (clock skew) that nothing ran.
            return HttpResponse.status(HttpStatus.GATEWAY_TIMEOUT).body(Map.of("error", "deadline_passed", "message", e.getMessage()));
        }
    }

    private HttpResponse<?> run(String name, @Nullable String body, CallDeadline deadline) {
        var request = RequestBodies.object(body, KEYS);
        String workspaceId = RequestBodies.optionalText(request, "workspaceId");
        if (workspaceId == null ? !executor.knows(name) : !executor.knowsInWorkspace(name)) {
            return HttpResponse.notFound(Map.of("error", "unknown_tool", "message", "no tool named " + name));
        }
        String userId = RequestBodies.requiredText(request, "userId");
        String clientId = RequestBodies.optionalText(request, "clientId");
        if (workspaceId != null) {
            return HttpResponse.ok(executor.executeInWorkspace(name, workspaceId,
                    RequestBodies.optionalText(request, "projectId"), userId, clientId, request.get("arguments"),
                    requirements(request), deadline));
        }
        String projectId = RequestBodies.requiredText(request, "projectId");
        return HttpResponse.ok(executor.execute(name, projectId, userId, clientId, request.get("arguments"), requirements(request), deadline));
    }

    /** The caller's view of what the tool needs ({@code {"minRole": "member", "write": true}}); absent = none. */
    private static ToolCallRequest.@Nullable Requirements requirements(ObjectNode request) {
        ObjectNode requires = RequestBodies.optionalObject(request, "requires");
        if (requires == null) {
            return null;
        }
        String minRole = RequestBodies.requiredText(requires, "minRole");
        Boolean write = RequestBodies.optionalBoolean(requires, "write");
        return new ToolCallRequest.Requirements(minRole, write != null && write);
    }
}
