package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.pipeline.McpCall;
import com.backlogmcp.mcp.session.SessionIds;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.Set;

/**
 * One JSON-RPC request to handle, with what the transport established: the protocol revision in force, the
 * authenticated call (steps 1–3 done) and the endpoint's view switches ({@code ?toolsets=}, read-only).
 *
 * @param toolsets null for every toolset
 * @param session  the live 2025-era session the request presented, if any
 */
public record McpRequest(Object id, String method, Map<String, Object> params, String protocolVersion,
                         McpCall authenticated, @Nullable Set<String> toolsets, boolean readOnly,
                         @Nullable SessionIds.Session session) {

    /** The endpoint the request came to. */
    public Endpoint endpoint() {
        return authenticated.endpoint();
    }

    /** The project of a project endpoint (null on a workspace endpoint, where each call names its own). */
    @Nullable
    public String projectId() {
        return authenticated.projectId();
    }

    public boolean stateless() {
        return ProtocolVersions.STATELESS.contains(protocolVersion);
    }

    public String stringParam(String name) {
        Object v = params.get(name);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw McpError.invalidParams("params." + name + " must be a non-empty string");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    @Nullable
    public Map<String, Object> objectParam(String name) {
        Object v = params.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?>)) {
            throw McpError.invalidParams("params." + name + " must be an object");
        }
        return (Map<String, Object>) v;
    }

    @Nullable
    public String cursor() {
        Object v = params.get("cursor");
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw McpError.invalidParams("params.cursor must be a string");
        }
        return s;
    }
}
