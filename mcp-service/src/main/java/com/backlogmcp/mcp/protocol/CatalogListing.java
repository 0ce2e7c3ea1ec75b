package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.pipeline.McpCall;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The shared shape of every catalog listing (tools/list, resources/list, resources/templates/list, prompts/list):
 * read the cursor first (a bad one is invalid params before anything else), authorize as project data needing no
 * particular scope, then page what the caller may see under {@code key} with {@code nextCursor} when there is more.
 */
@Singleton
final class CatalogListing {

    private final ProjectCallAuthorizer access;
    private final EdgeConfiguration config;

    CatalogListing(ProjectCallAuthorizer access, EdgeConfiguration config) {
        this.access = access;
        this.config = config;
    }

    /** {@code visible} builds the entries from the authorized call (its principal's scopes, its authz context). */
    McpReply list(McpRequest request, String key, Function<McpCall, List<Map<String, Object>>> visible) {
        String cursor = request.cursor();
        McpCall call = request.authenticated().sibling(request.method()).forProjectData(null);
        Optional<McpReply> denied = access.authorize(request, call);
        if (denied.isPresent()) {
            return denied.get();
        }
        Pages.Page<Map<String, Object>> page = Pages.page(visible.apply(call), cursor, config.pageSize());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(key, page.items());
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
        return access.withRateHeaders(McpReply.ok(JsonRpc.result(request.id(), result)), call);
    }
}
