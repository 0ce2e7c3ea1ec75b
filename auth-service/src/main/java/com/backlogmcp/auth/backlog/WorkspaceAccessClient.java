package com.backlogmcp.auth.backlog;

import com.backlogmcp.contracts.internal.WorkspaceAccess;
import com.backlogmcp.contracts.internal.WorkspaceAccess.MemberProject;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** backlog-service's {@code GET /internal/workspaces/{id}/access}: a workspace's flags and the user's projects in it. */
@Singleton
public class WorkspaceAccessClient {

    private final HttpClient http;

    WorkspaceAccessClient(@Client(id = "backlog") HttpClient http) {
        this.http = http;
    }

    /** Empty when the workspace does not exist. */
    public Optional<WorkspaceAccess> access(String workspaceId, String userId) {
        UriBuilder uri = UriBuilder.of("/internal/workspaces/" + workspaceId + "/access");
        if (userId != null) {
            uri.queryParam("userId", userId);
        }
        try {
            JsonNode n = http.toBlocking().retrieve(HttpRequest.GET(uri.build()), JsonNode.class);
            List<MemberProject> projects = new ArrayList<>();
            JsonNode list = n.get("projects");
            if (list != null) {
                list.values().forEach(p -> projects.add(new MemberProject(text(p, "projectId"), text(p, "projectName"), text(p, "role"))));
            }
            return Optional.of(new WorkspaceAccess(text(n, "workspaceId"), text(n, "workspaceName"), text(n, "plan"),
                    n.get("mcpEnabled") != null && n.get("mcpEnabled").getBooleanValue(),
                    n.get("suspended") != null && n.get("suspended").getBooleanValue(), projects));
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return Optional.empty();
            }
            throw new BacklogClient.Unavailable("backlog-service answered " + e.getStatus().getCode(), e);
        } catch (RuntimeException e) {
            throw new BacklogClient.Unavailable("backlog-service is unreachable", e);
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.coerceStringValue();
    }
}
