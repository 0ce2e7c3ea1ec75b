package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Answer of a tool execution (always HTTP 200 once the tool ran or refused): {@code isError} with
 * {@code structuredContent = {error_type, message, hint}} for a tool failure, else the tool's structured output.
 * <p>
 * {@code authz} is the live authorization context the call was admitted or refused on, read in the tool's own
 * transaction (null when the project does not exist), and {@code admitted} says whether the live checks let the
 * tool run: false means nothing ran and {@code structuredContent} names the refusal. The edge decides its
 * membership and plan steps on this context, so a tool call needs no separate authorization round trip.
 * Both are null from a backlog-service that predates them.
 */
@Serdeable
public record ToolCallResult(boolean isError, Map<String, Object> structuredContent,
                             @Nullable AuthzContext authz, @Nullable Boolean admitted) {

    @Creator
    public ToolCallResult {
    }

    public ToolCallResult(boolean isError, Map<String, Object> structuredContent) {
        this(isError, structuredContent, null, null);
    }

    /** The same answer, carrying the context it was decided on. */
    public ToolCallResult decidedOn(@Nullable AuthzContext context, boolean wasAdmitted) {
        return new ToolCallResult(isError, structuredContent, context, wasAdmitted);
    }
}
