package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.pipeline.McpCall;
import com.backlogmcp.mcp.session.SessionIds;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.HashMap;
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
                            @Nullable String nameHeader, @Nullable Set<String> toolsets, boolean readOnly,
                            @Nullable SessionIds.Session session) {
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
            boolean stateless = ProtocolVersions.isStateless(version);
            McpMethodHandler handler = stateless && ProtocolVersions.REMOVED_IN_STATELESS.contains(method) ? null : handlers.get(method);
            if (handler == null) {
                throw stateless ? McpError.methodNotFoundStateless(method) : McpError.methodNotFound(method);
            }
            McpRequest request = new McpRequest(id, method, params, version, transport.authenticated(),
                    transport.toolsets(), transport.readOnly(), stateless ? null : transport.session());
            McpReply reply = handler.handle(request);
            return Optional.of(stateless ? StatelessResults.decorate(method, reply) : reply);
        } catch (McpError e) {
            return Optional.of(e.reply(id));
        }
    }

    /**
     * The protocol revision this message is governed by, after checking its headers; throws on a mismatch. A message
     * is on the stateless wire when it says so in {@code _meta} or its MCP-Protocol-Version header names a stateless
     * revision; otherwise the header (absent: 2025-03-26) names a handshake era.
     */
    private static String governingVersion(String method, Map<String, Object> params, Transport t) {
        Object metaValue = params.get("_meta");
        Object declared = metaValue instanceof Map<?, ?> meta ? meta.get(ProtocolVersions.META_PROTOCOL_VERSION) : null;
        String header = t.protocolHeader();
        if (declared != null || (header != null && ProtocolVersions.isStateless(header))) {
            return statelessVersion(method, params, metaValue, declared, t);
        }
        if ("initialize".equals(method) || "server/discover".equals(method)) {
            // The handshake (and a probe) precede any agreed version; the header is not checked yet.
            return header != null && ProtocolVersions.HANDSHAKE.contains(header) ? header : ProtocolVersions.HANDSHAKE.get(0);
        }
        if (header == null) {
            return ProtocolVersions.DEFAULT_WITHOUT_HEADER;
        }
        if (ProtocolVersions.HANDSHAKE.contains(header)) {
            return header;
        }
        throw unsupported(header);
    }

    /**
     * 2026-07-28 checks, in the order the revision gives them: the per-request {@code _meta} envelope must be there
     * (else -32602, HTTP 400); the header must repeat the declared version (else -32020); the version must be one we
     * speak (else -32022 naming ours); Mcp-Method / Mcp-Name must repeat the body (else -32020).
     */
    private static String statelessVersion(String method, Map<String, Object> params, Object metaValue, Object declared, Transport t) {
        if (!(metaValue instanceof Map<?, ?> meta)) {
            throw McpError.invalidMeta("params._meta is required on every request of protocol " + ProtocolVersions.V2026_07_28);
        }
        if (declared == null) {
            throw McpError.invalidMeta("params._meta." + ProtocolVersions.META_PROTOCOL_VERSION + " is required");
        }
        if (!(declared instanceof String version) || version.isEmpty()) {
            throw McpError.invalidMeta("params._meta." + ProtocolVersions.META_PROTOCOL_VERSION + " must be a string");
        }
        if (!version.equals(t.protocolHeader())) {
            throw McpError.headerMismatch("MCP-Protocol-Version header must equal params._meta." + ProtocolVersions.META_PROTOCOL_VERSION
                    + " (" + version + ")");
        }
        if (!ProtocolVersions.isStateless(version)) {
            throw unsupported(version);
        }
        if (!(meta.get(ProtocolVersions.META_CLIENT_CAPABILITIES) instanceof Map<?, ?>)) {
            throw McpError.invalidMeta("params._meta." + ProtocolVersions.META_CLIENT_CAPABILITIES + " must be an object");
        }
        if (!method.equals(t.methodHeader())) {
            throw McpError.headerMismatch("Mcp-Method header must equal the request method " + method);
        }
        String name = NAMED_BY_PARAM_NAME.contains(method) ? stringOrNull(params.get("name"))
                : "resources/read".equals(method) ? stringOrNull(params.get("uri")) : null;
        if (name != null && !name.equals(t.nameHeader())) {
            throw McpError.headerMismatch("Mcp-Name header must equal " + ("resources/read".equals(method) ? "params.uri" : "params.name"));
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

    static McpReply invalidRequest(@Nullable Object id, String message) {
        return McpReply.of(400, JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "Invalid Request: " + message, null));
    }
}
