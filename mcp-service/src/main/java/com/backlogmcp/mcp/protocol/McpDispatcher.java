package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.pipeline.McpCall;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one JSON-RPC message into a reply: validates the envelope, settles which protocol revision governs it
 * (a handshake era by the MCP-Protocol-Version header, or 2026-07-28 by the request's own {@code _meta}, with the
 * {@code Mcp-Method}/{@code Mcp-Name} headers checked against the body) and hands it to the method's handler.
 * Notifications and client responses are accepted without a reply.
 */
@Singleton
public class McpDispatcher {

    /** What the HTTP layer knows about the request carrying the message. */
    public record Transport(McpCall authenticated, @Nullable String protocolHeader, @Nullable String methodHeader,
                            @Nullable String nameHeader, @Nullable Set<String> toolsets, boolean readOnly) {
    }

    private static final Set<String> NAMED_BY_PARAM_NAME = Set.of("tools/call", "prompts/get");

    private final Map<String, McpMethodHandler> handlers = new HashMap<>();

    public McpDispatcher(List<McpMethodHandler> all) {
        for (McpMethodHandler h : all) {
            h.methods().forEach(m -> handlers.put(m, h));
        }
    }

    /** The reply to {@code raw}, or empty for a notification or a response. */
    public Optional<McpReply> dispatch(Object raw, Transport transport, boolean inBatch) {
        if (!(raw instanceof Map<?, ?> rawMap)) {
            return Optional.of(invalidRequest(null, "A JSON-RPC message must be an object"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) rawMap;
        Object id = message.get("id");
        boolean hasId = message.containsKey("id");
        if (hasId && !(id instanceof String || id instanceof Number)) {
            return Optional.of(invalidRequest(null, "id must be a string or a number"));
        }
        if (!"2.0".equals(message.get("jsonrpc"))) {
            return Optional.of(invalidRequest(id, "jsonrpc must be \"2.0\""));
        }
        Object methodValue = message.get("method");
        if (methodValue == null) {
            if (hasId && (message.containsKey("result") || message.containsKey("error"))) {
                return Optional.empty(); // a response to a server request; this server sends none, nothing to do
            }
            return Optional.of(invalidRequest(id, "method is required"));
        }
        if (!(methodValue instanceof String method) || method.isEmpty()) {
            return Optional.of(invalidRequest(id, "method must be a string"));
        }
        if (!hasId) {
            return Optional.empty(); // notification: accepted, nothing to answer
        }
        try {
            Object paramsValue = message.get("params");
            if (paramsValue != null && !(paramsValue instanceof Map<?, ?>)) {
                throw McpError.invalidParams("params must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = paramsValue == null ? Map.of() : (Map<String, Object>) paramsValue;
            String version = governingVersion(method, params, transport);
            if (inBatch && "initialize".equals(method)) {
                return Optional.of(invalidRequest(id, "initialize must not be part of a batch"));
            }
            McpMethodHandler handler = handlers.get(method);
            if (handler == null) {
                throw McpError.methodNotFound(method);
            }
            McpRequest request = new McpRequest(id, method, params, version, transport.authenticated(),
                    transport.toolsets(), transport.readOnly());
            McpReply reply = handler.handle(request);
            return Optional.of(ProtocolVersions.STATELESS.contains(version) ? markComplete(reply) : reply);
        } catch (McpError e) {
            return Optional.of(e.reply(id));
        }
    }

    /** The protocol revision this message is governed by, after checking its headers; throws on a mismatch. */
    private static String governingVersion(String method, Map<String, Object> params, Transport t) {
        Object metaValue = params.get("_meta");
        Object declared = metaValue instanceof Map<?, ?> meta ? meta.get(ProtocolVersions.META_PROTOCOL_VERSION) : null;
        if (declared != null) {
            return statelessVersion(method, params, (Map<?, ?>) metaValue, declared, t);
        }
        if ("initialize".equals(method) || "server/discover".equals(method)) {
            // The handshake (and a probe) precede any agreed version; the header is not checked yet.
            return t.protocolHeader() != null && ProtocolVersions.ALL.contains(t.protocolHeader())
                    && !ProtocolVersions.STATELESS.contains(t.protocolHeader()) ? t.protocolHeader() : ProtocolVersions.HANDSHAKE.get(0);
        }
        String header = t.protocolHeader();
        if (header == null) {
            return ProtocolVersions.DEFAULT_WITHOUT_HEADER;
        }
        if (ProtocolVersions.HANDSHAKE.contains(header)) {
            return header;
        }
        if (ProtocolVersions.STATELESS.contains(header)) {
            throw McpError.headerMismatch("MCP-Protocol-Version " + header + " requires params._meta."
                    + ProtocolVersions.META_PROTOCOL_VERSION + " on every request");
        }
        throw unsupported(header);
    }

    private static String statelessVersion(String method, Map<String, Object> params, Map<?, ?> meta, Object declared, Transport t) {
        if (!(declared instanceof String version)) {
            throw McpError.invalidParams("_meta." + ProtocolVersions.META_PROTOCOL_VERSION + " must be a string");
        }
        if (!ProtocolVersions.STATELESS.contains(version)) {
            throw unsupported(version);
        }
        if (!version.equals(t.protocolHeader())) {
            throw McpError.headerMismatch("MCP-Protocol-Version header must equal _meta protocol version " + version);
        }
        if (!method.equals(t.methodHeader())) {
            throw McpError.headerMismatch("Mcp-Method header must equal the request method " + method);
        }
        String name = NAMED_BY_PARAM_NAME.contains(method) ? stringOrNull(params.get("name"))
                : "resources/read".equals(method) ? stringOrNull(params.get("uri")) : null;
        if (name != null && !name.equals(t.nameHeader())) {
            throw McpError.headerMismatch("Mcp-Name header must equal " + ("resources/read".equals(method) ? "params.uri" : "params.name"));
        }
        if (!(meta.get(ProtocolVersions.META_CLIENT_CAPABILITIES) instanceof Map<?, ?>)) {
            throw McpError.invalidParams("_meta." + ProtocolVersions.META_CLIENT_CAPABILITIES + " is required");
        }
        return version;
    }

    private static McpError unsupported(String requested) {
        return new McpError(JsonRpc.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version: " + requested, 400,
                Map.of("supported", ProtocolVersions.ALL, "requested", requested));
    }

    private static String stringOrNull(Object o) {
        return o instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static McpReply markComplete(McpReply reply) {
        if (reply.body() instanceof Map<?, ?> body && body.get("result") instanceof Map<?, ?> result) {
            Map<String, Object> marked = new LinkedHashMap<>((Map<String, Object>) result);
            marked.put("resultType", "complete");
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) body);
            copy.put("result", marked);
            return new McpReply(reply.status(), reply.headers(), copy);
        }
        return reply;
    }

    static McpReply invalidRequest(@Nullable Object id, String message) {
        return McpReply.of(400, JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid Request: " + message, null));
    }
}
