package com.backlogmcp.mcp.protocol;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON-RPC 2.0 message shapes and the error codes the edge answers with. */
public final class JsonRpc {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** An authorization or platform refusal; {@code data.error_type} says which, {@code data.hint} what to do. */
    public static final int REFUSED = -32001;
    /** MCP: resource not found. */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** MCP 2026-07-28: Mcp-Method / Mcp-Name / MCP-Protocol-Version headers missing or disagreeing with the body. */
    public static final int HEADER_MISMATCH = -32020;
    /** MCP 2026-07-28: the requested protocol version is not supported ({@code data.supported}, {@code data.requested}). */
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private JsonRpc() {
    }

    public static Map<String, Object> result(@Nullable Object id, Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("result", result);
        return m;
    }

    public static Map<String, Object> error(@Nullable Object id, int code, String message, @Nullable Map<String, Object> data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null && !data.isEmpty()) {
            error.put("data", data);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("error", error);
        return m;
    }
}
