package com.backlogmcp.auth.backlog;

import com.backlogmcp.contracts.internal.AuthzContext;
import io.micronaut.core.type.Argument;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Calls to backlog-service's internal API: {@code /internal/authz}, the user's projects, the platform admin API. */
@Singleton
public class BacklogClient {

    /** backlog-service did not answer usefully; pages say so instead of failing with a 500. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A project the user belongs to, as shown on the account pages. */
    public record ProjectRef(String projectId, String projectName, String workspaceId, String role, @Nullable String plan) {
    }

    private final HttpClient http;

    BacklogClient(@Client(id = "backlog") HttpClient http) {
        this.http = http;
    }

    /** The project's authorization context; empty when the project does not exist (404). */
    public Optional<AuthzContext> authz(String projectId, String userId) {
        UriBuilder uri = UriBuilder.of("/internal/authz").queryParam("projectId", projectId);
        if (userId != null) {
            uri.queryParam("userId", userId);
        }
        try {
            return Optional.ofNullable(http.toBlocking().retrieve(HttpRequest.GET(uri.build()), AuthzContext.class));
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return Optional.empty();
            }
            throw new Unavailable("backlog-service answered " + e.getStatus().getCode(), e);
        } catch (RuntimeException e) {
            throw new Unavailable("backlog-service is unreachable", e);
        }
    }

    /** Projects the user is a member of; accepts a bare array or {@code {"projects":[…]}}. */
    public List<ProjectRef> projectsOf(String userId) {
        try {
            JsonNode node = http.toBlocking().retrieve(HttpRequest.GET("/internal/users/" + userId + "/projects"), JsonNode.class);
            JsonNode list = node.isArray() ? node : node.get("projects");
            List<ProjectRef> out = new ArrayList<>();
            if (list != null && list.isArray()) {
                for (JsonNode p : list.values()) {
                    out.add(new ProjectRef(text(p, "projectId", "id"), text(p, "projectName", "name"), text(p, "workspaceId", null), text(p, "role", null), text(p, "plan", null)));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw new Unavailable("could not list the user's projects", e);
        }
    }

    /** Platform admin: every workspace, as backlog-service describes it. */
    public List<Map<String, Object>> adminWorkspaces(String actingUserId) {
        try {
            JsonNode node = http.toBlocking().retrieve(admin(HttpRequest.GET("/internal/admin/workspaces"), actingUserId), JsonNode.class);
            JsonNode list = node.isArray() ? node : node.get("workspaces");
            List<Map<String, Object>> out = new ArrayList<>();
            if (list != null && list.isArray()) {
                for (JsonNode w : list.values()) {
                    out.add(Map.of(
                            "id", text(w, "workspaceId", "id"),
                            "name", Optional.ofNullable(text(w, "name", "workspaceName")).orElse(""),
                            "plan", Optional.ofNullable(text(w, "plan", null)).orElse(""),
                            "mcpEnabled", bool(w, "mcpEnabled"),
                            "suspended", bool(w, "suspended")));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw new Unavailable("could not list workspaces", e);
        }
    }

    /** Platform admin: changes plan, add-on or suspension (only the fields given). */
    public void adminUpdate(String actingUserId, String workspaceId, Map<String, Object> patch) {
        try {
            http.toBlocking().exchange(admin(HttpRequest.PATCH("/internal/admin/workspaces/" + workspaceId, patch)
                    .contentType(MediaType.APPLICATION_JSON_TYPE), actingUserId), Argument.of(String.class));
        } catch (RuntimeException e) {
            throw new Unavailable("could not update workspace " + workspaceId, e);
        }
    }

    private static <T> io.micronaut.http.MutableHttpRequest<T> admin(io.micronaut.http.MutableHttpRequest<T> r, String actingUserId) {
        return r.header("X-Acting-User-Id", actingUserId).header("X-Acting-Platform-Admin", "true");
    }

    private static String text(JsonNode n, String name, String fallback) {
        JsonNode v = n.get(name);
        if ((v == null || v.isNull()) && fallback != null) {
            v = n.get(fallback);
        }
        return v == null || v.isNull() ? null : v.coerceStringValue();
    }

    private static boolean bool(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v != null && v.isBoolean() && v.getBooleanValue();
    }
}
