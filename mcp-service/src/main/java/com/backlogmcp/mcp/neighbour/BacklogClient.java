package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.internal.ToolCallRequest;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** backlog-service's internal API as the edge uses it (request and answer types in {@code contracts.internal}). */
@Singleton
public class BacklogClient {

    static final String NAME = "backlog-service";
    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    /** Answer of a forwarded read (resources, prompts, completions): the JSON body, or the 4xx status it was refused with. */
    public record Forwarded(int status, Map<String, Object> body, Map<String, Object> error) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * How much sooner than the read timeout backlog-service must have committed: covers the commit itself, the
     * answer's way back and clock skew between the two hosts, so an answer is never still on its way when the edge
     * has already told the agent the call failed.
     */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(500);

    private final BacklogExchange exchange;
    private final JsonMapper json;
    private final Duration readTimeout;

    public BacklogClient(BacklogExchange exchange, JsonMapper json,
                         @Value("${micronaut.http.services." + NeighbourIds.BACKLOG + ".read-timeout:3s}") Duration readTimeout) {
        this.exchange = exchange;
        this.json = json;
        this.readTimeout = readTimeout;
    }

    /** Live role, plan and workspace flags; empty when the project does not exist. Never cached (step 5). */
    public Optional<AuthzContext> authz(String projectId, String userId) {
        String path = UriBuilder.of("/internal/authz").queryParam("projectId", projectId).queryParam("userId", userId).build().toString();
        return readIfFound(exchange.get("/internal/authz", path), AuthzContext.class, "authz");
    }

    /** A workspace's flags and the user's projects in it with their role; empty when it does not exist. Never cached. */
    public Optional<WorkspaceAccess> workspaceAccess(String workspaceId, String userId) {
        String path = UriBuilder.of("/internal/workspaces").path(workspaceId).path("access").queryParam("userId", userId).build().toString();
        return readIfFound(exchange.get("/internal/workspaces/{id}/access", path), WorkspaceAccess.class, "workspace access");
    }

    public Catalog catalog() {
        return catalog(false);
    }

    /** The catalog as a project endpoint ({@code workspaceView} false) or a workspace endpoint offers it. */
    public Catalog catalog(boolean workspaceView) {
        String path = workspaceView ? "/internal/catalog?view=workspace" : "/internal/catalog";
        return readIfFound(exchange.get("/internal/catalog", path), Catalog.class, "catalog")
                .orElseThrow(() -> new UpstreamUnavailableException("backlog-service answered catalog with 404"));
    }

    /**
     * Runs a tool; empty when backlog-service does not know the tool (404). The answer keeps the tool's output as the
     * bytes backlog-service wrote ({@link ToolAnswer}), so it reaches the agent without being decoded and encoded again.
     */
    public Optional<ToolAnswer> callTool(String name, ToolCallRequest request) {
        String path = UriBuilder.of("/internal/tools").path(name).build().toString();
        // The deadline: past it the edge has stopped waiting and told the agent the call failed, so backlog-service
        // must not commit it (see Headers.CALL_DEADLINE).
        long deadline = System.currentTimeMillis() + readTimeout.minus(DEADLINE_MARGIN).toMillis();
        BacklogExchange.Reply reply = exchange.post("/internal/tools/{name}", path, encode(request), Long.toString(deadline));
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (!reply.ok() || reply.body().length == 0) {
            throw new UpstreamUnavailableException("backlog-service answered tool " + name + " with " + reply.status());
        }
        try {
            return Optional.of(ToolAnswer.read(reply.body(), json));
        } catch (RuntimeException e) {
            // An answer that does not read is a neighbour bug, not something the agent can fix.
            throw new UpstreamUnavailableException(NAME, e);
        }
    }

    public Forwarded readResource(String projectId, String userId, String resourceUri) {
        return readResource(projectId, null, userId, resourceUri);
    }

    /** A resource read on a project endpoint ({@code projectId}) or a workspace endpoint ({@code workspaceId}). */
    public Forwarded readResource(@Nullable String projectId, @Nullable String workspaceId, String userId, String resourceUri) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (workspaceId != null) {
            body.put("workspaceId", workspaceId);
        } else {
            body.put("projectId", projectId);
        }
        body.put("userId", userId);
        body.put("uri", resourceUri);
        return forward("/internal/resources/read", "/internal/resources/read", body);
    }

    public Forwarded getPrompt(String projectId, String userId, String name, Map<String, Object> arguments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("arguments", arguments);
        return forward("/internal/prompts/{name}", UriBuilder.of("/internal/prompts").path(name).build().toString(), body);
    }

    public Forwarded complete(String projectId, String userId, Map<String, Object> ref, Map<String, Object> argument) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("ref", ref);
        body.put("argument", argument);
        return forward("/internal/completions", "/internal/completions", body);
    }

    /** A forwarded read: 2xx and 4xx are answers (the caller renders a refusal from the 4xx body); 5xx is unavailability. */
    private Forwarded forward(String route, String path, Map<String, Object> body) {
        BacklogExchange.Reply reply = exchange.post(route, path, encode(body), null);
        if (reply.ok()) {
            return new Forwarded(reply.status(), decode(reply.body(), JSON_OBJECT, route), Map.of());
        }
        if (reply.status() >= 500) {
            throw new UpstreamUnavailableException("backlog-service answered " + route + " with " + reply.status());
        }
        Map<String, Object> error;
        try {
            error = reply.body().length == 0 ? Map.of() : json.readValue(reply.body(), JSON_OBJECT);
        } catch (IOException | RuntimeException notJson) {
            error = null;
        }
        return new Forwarded(reply.status(), Map.of(), error == null ? Map.of() : error);
    }

    /** The decoded 2xx answer; empty for 404 (the thing does not exist); any other status means backlog-service cannot decide. */
    private <T> Optional<T> readIfFound(BacklogExchange.Reply reply, Class<T> type, String what) {
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw new UpstreamUnavailableException("backlog-service answered " + what + " with " + reply.status());
        }
        return Optional.of(decode(reply.body(), Argument.of(type), what));
    }

    private <T> T decode(byte[] body, Argument<T> type, String what) {
        T decoded;
        try {
            decoded = body.length == 0 ? null : json.readValue(body, type);
        } catch (IOException | RuntimeException e) {
            // An answer that does not read is a neighbour bug, not something the agent can fix.
            throw new UpstreamUnavailableException(NAME, e);
        }
        if (decoded == null) {
            throw new UpstreamUnavailableException("backlog-service answered " + what + " without a body");
        }
        return decoded;
    }

    private byte[] encode(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a request to backlog-service", e);
        }
    }
}
