package com.backlogmcp.mcp.protocol;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one MCP message (or a whole HTTP request) answers: HTTP status, extra headers and the JSON body
 * (a JSON-RPC response object, an array of them for a batch, or null for 202 Accepted).
 */
public record McpReply(int status, Map<String, String> headers, @Nullable Object body) {

    public static McpReply ok(Map<String, Object> body) {
        return new McpReply(200, Map.of(), body);
    }

    public static McpReply of(int status, Map<String, Object> body) {
        return new McpReply(status, Map.of(), body);
    }

    public static McpReply accepted() {
        return new McpReply(202, Map.of(), null);
    }

    public McpReply withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(more);
        return new McpReply(status, merged, body);
    }
}
