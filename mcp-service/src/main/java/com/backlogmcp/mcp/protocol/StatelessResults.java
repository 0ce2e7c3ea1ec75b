package com.backlogmcp.mcp.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every successful 2026-07-28 result carries besides its payload: {@code resultType: "complete"} (the edge never
 * asks the client for input mid-request), the caching hints of {@link CachingHints} on cacheable methods, and the
 * server's identity in {@code _meta["io.modelcontextprotocol/serverInfo"]}. Error replies pass unchanged.
 */
final class StatelessResults {

    private StatelessResults() {
    }

    @SuppressWarnings("unchecked")
    static McpReply decorate(String method, McpReply reply) {
        if (!(reply.body() instanceof Map<?, ?> body) || !(body.get("result") instanceof Map<?, ?> result)) {
            return reply;
        }
        Map<String, Object> decorated = new LinkedHashMap<>((Map<String, Object>) result);
        decorated.put("resultType", "complete");
        CachingHints.forMethod(method).ifPresent(hint -> {
            decorated.put("ttlMs", hint.ttlMs());
            decorated.put("cacheScope", hint.cacheScope());
        });
        decorated.put("_meta", withServerInfo(decorated.get("_meta")));
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) body);
        copy.put("result", decorated);
        return new McpReply(reply.status(), reply.headers(), copy);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withServerInfo(Object existing) {
        Map<String, Object> meta = existing instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        meta.put(ProtocolVersions.META_SERVER_INFO, LifecycleMethods.serverInfo());
        return meta;
    }
}
