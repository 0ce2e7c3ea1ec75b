package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.catalog.CatalogIndex;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import com.backlogmcp.mcp.pipeline.McpCall;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** resources/list, resources/templates/list (filtered by scope) and resources/read (scope-checked, forwarded). */
@Singleton
final class ResourceMethods implements McpMethodHandler {

    private final CatalogCache catalog;
    private final ProjectCallAuthorizer access;
    private final BacklogClient backlog;
    private final CatalogListing listing;

    ResourceMethods(CatalogCache catalog, ProjectCallAuthorizer access, BacklogClient backlog, CatalogListing listing) {
        this.catalog = catalog;
        this.access = access;
        this.backlog = backlog;
        this.listing = listing;
    }

    @Override
    public Set<String> methods() {
        return Set.of("resources/list", "resources/templates/list", "resources/read");
    }

    @Override
    public McpReply handle(McpRequest request) {
        return access.unlessUpstreamUnavailable(request, () -> switch (request.method()) {
            case "resources/list" -> list(request, false);
            case "resources/templates/list" -> list(request, true);
            default -> read(request);
        });
    }

    private McpReply list(McpRequest request, boolean templates) {
        return listing.list(request, templates ? "resourceTemplates" : "resources", call -> {
            Set<String> scopes = call.principal().scopes();
            CatalogIndex index = catalog.of(request.endpoint());
            Endpoint endpoint = request.endpoint();
            return templates
                    ? index.resourceTemplates().stream().filter(t -> scopes.contains(t.scope())).map(t -> describe(t, endpoint)).toList()
                    : index.resources().stream().filter(r -> scopes.contains(r.scope())).map(r -> describe(r, endpoint)).toList();
        });
    }

    private McpReply read(McpRequest request) {
        String uri = request.stringParam("uri");
        Optional<String> scope = catalog.scopeOfResource(request.endpoint(), uri);
        if (scope.isEmpty()) {
            return McpReply.ok(JsonRpc.error(request.id(), notFoundCode(request), "Resource not found", Map.of("uri", uri)));
        }
        McpCall call = request.authenticated().sibling(request.method()).forProjectData(scope.get());
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        // On a workspace endpoint backlog-service checks membership of the project the URI belongs to (the edge
        // checked the workspace: flags, membership of at least one project, the scope).
        Endpoint endpoint = request.endpoint();
        BacklogClient.Forwarded answer = backlog.readResource(request.projectId(),
                endpoint.isWorkspace() ? endpoint.id() : null, call.principal().userId(), uri);
        if (!answer.ok()) {
            return Forwarding.refusal(request, call, answer, notFoundCode(request), "Resource " + uri, access);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("contents", answer.body().getOrDefault("contents", List.of()));
        return access.withRateHeaders(McpReply.ok(JsonRpc.result(request.id(), result)), call);
    }

    /** -32002 until 2025-11-25; 2026-07-28 standardised an unknown resource as invalid params (-32602). */
    private static int notFoundCode(McpRequest request) {
        return request.stateless() ? JsonRpc.INVALID_PARAMS : JsonRpc.RESOURCE_NOT_FOUND;
    }

    private static Map<String, Object> describe(Catalog.Resource r, Endpoint endpoint) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uri", CatalogIndex.bind(r.uri(), endpoint));
        d.put("name", r.name());
        putIfPresent(d, "title", r.title());
        putIfPresent(d, "description", r.description());
        putIfPresent(d, "mimeType", r.mimeType());
        return d;
    }

    private static Map<String, Object> describe(Catalog.ResourceTemplate t, Endpoint endpoint) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uriTemplate", CatalogIndex.bind(t.uriTemplate(), endpoint));
        d.put("name", t.name());
        putIfPresent(d, "title", t.title());
        putIfPresent(d, "description", t.description());
        putIfPresent(d, "mimeType", t.mimeType());
        return d;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
