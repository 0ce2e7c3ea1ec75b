package com.backlogmcp.mcp.protocol;

import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/** A protocol-level error answered as a JSON-RPC error (bad params, unknown method, header mismatch …). */
public final class McpError extends RuntimeException {

    private final int code;
    private final int httpStatus;
    @Nullable
    private final Map<String, Object> data;

    public McpError(int code, String message, int httpStatus, @Nullable Map<String, Object> data) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
        this.data = data;
    }

    public static McpError invalidParams(String message) {
        return new McpError(JsonRpc.INVALID_PARAMS, message, 200, null);
    }

    public static McpError methodNotFound(String method) {
        return new McpError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method, 200, null);
    }

    /** 2026-07-28: an unknown (or removed) method is HTTP 404 with -32601, so a client can tell the era from it. */
    public static McpError methodNotFoundStateless(String method) {
        return new McpError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method, 404, null);
    }

    /** 2026-07-28: a request without a valid {@code _meta} envelope is malformed: -32602 with HTTP 400. */
    public static McpError invalidMeta(String message) {
        return new McpError(JsonRpc.INVALID_PARAMS, message, 400, null);
    }

    public static McpError headerMismatch(String message) {
        return new McpError(JsonRpc.HEADER_MISMATCH, message, 400, null);
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @Nullable
    public Map<String, Object> data() {
        return data;
    }

    public McpReply reply(@Nullable Object id) {
        return McpReply.of(httpStatus, JsonRpc.error(id, code, getMessage(), data));
    }
}
