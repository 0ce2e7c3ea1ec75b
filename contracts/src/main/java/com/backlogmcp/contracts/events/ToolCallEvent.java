package com.backlogmcp.contracts.events;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One executed (or denied after authentication) tool call, keyed by projectId on {@link Topics#TOOL_CALLS}.
 * {@code argsHash} is HMAC-SHA256 over the RFC 8785 canonical JSON of the arguments; raw arguments never travel.
 * {@code outcome} is {@code ok}, {@code tool_error} or {@code denied}; {@code errorType} is an {@code ErrorType} name or null.
 *
 * <p>{@code quotaBlockId} is the id of the daily quota lease block ({@code QuotaLease.Block#blockId}) the call spent
 * its slot from, and null when the call spent no slot (refused before the tool step, or its slot was given back).
 * audit-service counts the events per block: that count is what a block spent when its holder died without
 * returning it. Producers that predate leases leave it null.
 */
@Serdeable
public record ToolCallEvent(
        String eventId,
        Instant at,
        String projectId,
        @Nullable String workspaceId,
        String userId,
        @Nullable String clientId,
        @Nullable String grantId,
        @Nullable String keyId,
        String tool,
        String argsHash,
        String outcome,
        @Nullable String errorType,
        long latencyMs,
        @Nullable String requestId,
        @Nullable String quotaBlockId) {

    @Creator
    public ToolCallEvent {
    }

    /** An event of a call that spent no lease slot ({@code quotaBlockId} null). */
    public ToolCallEvent(String eventId, Instant at, String projectId, @Nullable String workspaceId, String userId,
                         @Nullable String clientId, @Nullable String grantId, @Nullable String keyId, String tool,
                         String argsHash, String outcome, @Nullable String errorType, long latencyMs,
                         @Nullable String requestId) {
        this(eventId, at, projectId, workspaceId, userId, clientId, grantId, keyId, tool, argsHash, outcome, errorType,
                latencyMs, requestId, null);
    }
}
