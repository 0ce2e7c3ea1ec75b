package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.Headers;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.internal.ToolCallRequest;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** backlog-service's internal API as the edge uses it (request and answer types in {@code contracts.internal}). */
@Singleton
public class BacklogClient {

    private static final String NAME = "backlog-service";
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

    private final HttpClient client;
    private final JsonMapper json;
    private final Duration readTimeout;

    public BacklogClient(@Client(id = NeighbourIds.BACKLOG) HttpClient client, JsonMapper json,
                         @Value("${micronaut.http.services." + NeighbourIds.BACKLOG + ".read-timeout:3s}") Duration readTimeout) {
        this.client = client;
        this.json = json;
        this.readTimeout = readTimeout;
    }

    /** Live role, plan and workspace flags; empty when the project does not exist. Never cached (step 5). */
    public Optional<AuthzContext> authz(String projectId, String userId) {
        URI uri = UriBuilder.of("/internal/authz").queryParam("projectId", projectId).queryParam("userId", userId).build();
        NeighbourCall.Answer<AuthzContext> answer = NeighbourCall.exchange(client, NAME, HttpRequest.GET(uri), Argument.of(AuthzContext.class));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok() || answer.body().isEmpty()) {
            throw new UpstreamUnavailableException("backlog-service answered authz with " + answer.status());
        }
        return answer.body();
    }

    /** A workspace's flags and the user's projects in it with their role; empty when it does not exist. Never cached. */
    public Optional<WorkspaceAccess> workspaceAccess(String workspaceId, String userId) {
        URI uri = UriBuilder.of("/internal/workspaces").path(workspaceId).path("access").queryParam("userId", userId).build();
        NeighbourCall.Answer<WorkspaceAccess> answer = NeighbourCall.exchange(client, NAME, HttpRequest.GET(uri), Argument.of(WorkspaceAccess.class));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok() || answer.body().isEmpty()) {
            throw new UpstreamUnavailableException("backlog-service answered workspace access with " + answer.status());
        }
        return answer.body();
    }

    public Catalog catalog() {
        return catalog(false);
    }

    /** The catalog as a project endpoint ({@code workspaceView} false) or a workspace endpoint offers it. */
    public Catalog catalog(boolean workspaceView) {
        String path = workspaceView ? "/internal/catalog?view=workspace" : "/internal/catalog";
        NeighbourCall.Answer<Catalog> answer = NeighbourCall.exchange(client, NAME, HttpRequest.GET(path), Argument.of(Catalog.class));
        return answer.body().filter(c -> answer.ok())
                .orElseThrow(() -> new UpstreamUnavailableException("backlog-service answered catalog with " + answer.status()));
    }

    /**
     * Runs a tool; empty when backlog-service does not know the tool (404). The answer keeps the tool's output as the
     * bytes backlog-service wrote ({@link ToolAnswer}), so it reaches the agent without being decoded and encoded again.
     */
    public Optional<ToolAnswer> callTool(String name, ToolCallRequest request) {
        URI uri = UriBuilder.of("/internal/tools").path(name).build();
        // The deadline: past it the edge has stopped waiting and told the agent the call failed, so backlog-service
        // must not commit it (see Headers.CALL_DEADLINE).
        long deadline = System.currentTimeMillis() + readTimeout.minus(DEADLINE_MARGIN).toMillis();
        NeighbourCall.Answer<byte[]> answer = NeighbourCall.exchange(client, NAME,
                HttpRequest.POST(uri, request).header(Headers.CALL_DEADLINE, Long.toString(deadline)), Argument.of(byte[].class));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok() || answer.body().isEmpty()) {
            throw new UpstreamUnavailableException("backlog-service answered tool " + name + " with " + answer.status());
        }
        try {
            return Optional.of(ToolAnswer.read(answer.body().get(), json));
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
        return forward("/internal/resources/read", body);
    }

    public Forwarded getPrompt(String projectId, String userId, String name, Map<String, Object> arguments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("arguments", arguments);
        return forward(UriBuilder.of("/internal/prompts").path(name).build().toString(), body);
    }

    public Forwarded complete(String projectId, String userId, Map<String, Object> ref, Map<String, Object> argument) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("ref", ref);
        body.put("argument", argument);
        return forward("/internal/completions", body);
    }

    private Forwarded forward(String path, Map<String, Object> body) {
        NeighbourCall.Answer<Map<String, Object>> answer = NeighbourCall.exchange(client, NAME, HttpRequest.POST(path, body), JSON_OBJECT);
        return new Forwarded(answer.status(), answer.body().orElse(Map.of()), answer.errorBody().orElse(Map.of()));
    }
}
