package com.backlogmcp.mcp.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * The caching hints ({@code ttlMs}, {@code cacheScope}) 2026-07-28 requires on the six cacheable results. The one
 * place the edge decides how long and for whom an answer may be reused.
 *
 * <ul>
 *   <li>{@code server/discover} is {@code public}: versions, capabilities and instructions are the same for every
 *   caller of every project and carry nothing about the caller.</li>
 *   <li>{@code tools/list} is {@code private}: it holds only the tools this credential may call right now — filtered
 *   by the token's scopes, the member's live role, the plan and the add-on switch, and by the endpoint's
 *   {@code ?toolsets=} / read-only view. A shared cache serving it to another token would show tools that token
 *   cannot call, or hide ones it can.</li>
 *   <li>{@code prompts/list}, {@code resources/list} and {@code resources/templates/list} are {@code private}: they
 *   are filtered by the token's scopes and their URIs are bound to this project.</li>
 *   <li>{@code resources/read} is {@code private} with a TTL of 0: it is live project data the member may lose
 *   access to at any moment; change notifications, not a TTL, keep a client current.</li>
 * </ul>
 * The list TTL equals the edge's catalog refresh period: an answer is never older than what the edge itself serves,
 * and a change of the credential's callable tools is announced by {@code notifications/tools/list_changed}.
 */
final class CachingHints {

    record Hint(long ttlMs, String cacheScope) {
    }

    static final String PUBLIC = "public";
    static final String PRIVATE = "private";
    private static final long DISCOVER_TTL_MS = 300_000;
    private static final long LIST_TTL_MS = 30_000;

    private static final Map<String, Hint> BY_METHOD = Map.of(
            "server/discover", new Hint(DISCOVER_TTL_MS, PUBLIC),
            "tools/list", new Hint(LIST_TTL_MS, PRIVATE),
            "prompts/list", new Hint(LIST_TTL_MS, PRIVATE),
            "resources/list", new Hint(LIST_TTL_MS, PRIVATE),
            "resources/templates/list", new Hint(LIST_TTL_MS, PRIVATE),
            "resources/read", new Hint(0, PRIVATE));

    private CachingHints() {
    }

    static Optional<Hint> forMethod(String method) {
        return Optional.ofNullable(BY_METHOD.get(method));
    }
}
