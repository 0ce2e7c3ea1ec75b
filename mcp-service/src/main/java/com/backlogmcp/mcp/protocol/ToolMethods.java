package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.neighbour.ToolAnswer;
import com.backlogmcp.mcp.catalog.CatalogCache;
import com.backlogmcp.mcp.catalog.CatalogIndex;
import com.backlogmcp.mcp.catalog.ToolVisibility;
import com.backlogmcp.mcp.pipeline.McpCall;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** tools/list (only what this credential can call now) and tools/call (through the whole pipeline). */
@Singleton
final class ToolMethods implements McpMethodHandler {

    private final CatalogCache catalog;
    private final ProjectCallAuthorizer access;
    private final ToolResults toolResults;
    private final CatalogListing listing;

    ToolMethods(CatalogCache catalog, ProjectCallAuthorizer access, ToolResults toolResults, CatalogListing listing) {
        this.catalog = catalog;
        this.access = access;
        this.toolResults = toolResults;
        this.listing = listing;
    }

    @Override
    public Set<String> methods() {
        return Set.of("tools/list", "tools/call");
    }

    @Override
    public McpReply handle(McpRequest request) {
        return access.unlessUpstreamUnavailable(request,
                () -> "tools/list".equals(request.method()) ? list(request) : call(request));
    }

    private McpReply list(McpRequest request) {
        return listing.list(request, "tools", call -> {
            AuthzContext ctx = call.authz().orElseThrow();
            Set<String> scopes = call.principal().scopes();
            return catalog.of(request.endpoint()).tools().stream()
                    .filter(t -> ToolVisibility.callable(t, scopes, ctx))
                    .filter(t -> ToolVisibility.inView(t, request.toolsets(), request.readOnly()))
                    .map(ToolMethods::describe)
                    .toList();
        });
    }

    private McpReply call(McpRequest request) {
        String name = request.stringParam("name");
        Map<String, Object> arguments = request.objectParam("arguments");
        CatalogIndex index = catalog.of(request.endpoint());
        Catalog.Tool tool = index.tool(name)
                .filter(t -> ToolVisibility.inView(t, request.toolsets(), request.readOnly()))
                .orElseThrow(() -> McpError.invalidParams("Unknown tool: " + name));
        McpCall call = request.authenticated().sibling(request.method()).forTool(tool, arguments == null ? Map.of() : arguments);
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        ToolAnswer result = call.result();
        Map<String, Object> body = toolResults.toolResult(new RawJson(result.structuredJson()), result.isError());
        return access.withRateHeaders(McpReply.ok(JsonRpc.result(request.id(), body)), call);
    }

    private static Map<String, Object> describe(Catalog.Tool t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", t.name());
        if (t.title() != null) {
            d.put("title", t.title());
        }
        d.put("description", t.description());
        d.put("inputSchema", t.inputSchema() == null ? Map.of("type", "object") : t.inputSchema());
        if (t.outputSchema() != null) {
            d.put("outputSchema", t.outputSchema());
        }
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (t.title() != null) {
            annotations.put("title", t.title());
        }
        if (t.annotations() != null) {
            annotations.put("readOnlyHint", t.annotations().readOnlyHint());
            annotations.put("destructiveHint", t.annotations().destructiveHint());
            annotations.put("idempotentHint", t.annotations().idempotentHint());
            annotations.put("openWorldHint", t.annotations().openWorldHint());
        }
        d.put("annotations", annotations);
        return d;
    }

}
