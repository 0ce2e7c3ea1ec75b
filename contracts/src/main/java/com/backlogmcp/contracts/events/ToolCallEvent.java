package com.backlogmcp.contracts.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One executed (or denied after authentication) tool call, keyed by projectId on {@link Topics#TOOL_CALLS}.
 * {@code argsHash} is HMAC-SHA256 over the RFC 8785 canonical JSON of the arguments; raw arguments never travel.
 * {@code outcome} is {@code ok}, {@code tool_error} or {@code denied}; {@code errorType} is an {@code ErrorType} name or null.
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
        @Nullable String requestId) {
}
