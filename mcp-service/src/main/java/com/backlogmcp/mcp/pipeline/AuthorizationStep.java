package com.backlogmcp.mcp.pipeline;

import java.util.Optional;

/**
 * One of the nine steps of DESIGN §2. Steps run in {@link #order()}; each can stop the call on its own by
 * answering a {@link Denial}. A step that throws denies the call (see {@link AuthorizationPipeline}).
 */
public interface AuthorizationStep {

    /** Position 1–9 in DESIGN §2. */
    int order();

    /** Whether this step has anything to check for this call (e.g. quota only for tools/call). */
    boolean appliesTo(McpCall call);

    /**
     * Whether this step decides on the live authorization context (membership, role, workspace flags, plan). For a
     * tool call such a step decides on the context backlog-service returns with the tool's answer, read in the
     * tool's own transaction (see {@link AuthorizationPipeline}), so the call needs no separate round trip.
     */
    default boolean decidesOnLiveContext() {
        return false;
    }

    /** Checks the call; empty lets it continue. May record what it learnt on the call for later steps. */
    Optional<Denial> apply(McpCall call);
}
