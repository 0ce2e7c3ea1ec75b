package com.backlogmcp.mcp.protocol;

import java.util.List;
import java.util.Set;

/** The MCP protocol revisions this edge speaks (docs/protocol.md). */
public final class ProtocolVersions {

    /** The legacy HTTP+SSE transport's revision ({@code GET /p/{id}/sse}); served with 2025-03-26's methods. */
    public static final String V2024_11_05 = "2024-11-05";
    public static final String V2025_03_26 = "2025-03-26";
    public static final String V2025_06_18 = "2025-06-18";
    public static final String V2025_11_25 = "2025-11-25";
    public static final String V2026_07_28 = "2026-07-28";

    /** Revisions with the initialize handshake, newest first. */
    public static final List<String> HANDSHAKE = List.of(V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);
    /** Stateless revisions (per-request {@code _meta}, {@code server/discover}). */
    public static final List<String> STATELESS = List.of(V2026_07_28);
    public static final List<String> ALL = List.of(V2026_07_28, V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);

    /** The revision assumed when a handshake-era request carries no MCP-Protocol-Version header (2025-06-18 transport rules). */
    public static final String DEFAULT_WITHOUT_HEADER = V2025_03_26;

    public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    /** 2026-07-28: where a result names the server (it left the body of the discover result). */
    public static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";

    /**
     * Methods 2026-07-28 removed: a stateless request naming one is answered like any unknown method (404, -32601).
     * Subscriptions moved to {@code subscriptions/listen}; there is no handshake, ping or per-session log level.
     */
    public static final Set<String> REMOVED_IN_STATELESS = Set.of("initialize", "ping", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe");

    private ProtocolVersions() {
    }

    /** JSON-RPC batches existed only in 2025-03-26 (removed in 2025-06-18). */
    public static boolean allowsBatches(String version) {
        return V2025_03_26.equals(version);
    }

    public static boolean isStateless(String version) {
        return STATELESS.contains(version);
    }
}
