package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Answer of a tool execution (always HTTP 200 once the tool ran or refused): {@code isError} with
 * {@code structuredContent = {error_type, message, hint}} for a tool failure, else the tool's structured output.
 * <p>
 * {@code admitted} says whether the live checks, run in the tool's own transaction, let the tool run: false means
 * nothing ran and {@code structuredContent} names the refusal. The answer carries the live context those checks
 * read, so the caller decides its membership and plan steps on it and needs no separate authorization round trip:
 * <ul>
 *   <li>{@code authz} for a call touching one project (null when the project does not exist);</li>
 *   <li>{@code workspace} for a call across a workspace: its flags and plan and the projects of it the user is a
 *       member of, with their role (null when the workspace does not exist).</li>
 * </ul>
 * All three are null from a backlog-service that predates them ({@code workspace} alone is null from one that
 * returns the context of project calls only), and a caller that predates a member simply ignores it.
 */
@Serdeable
public record ToolCallResult(boolean isError, Map<String, Object> structuredContent,
                             @Nullable AuthzContext authz, @Nullable Boolean admitted, @Nullable WorkspaceAccess workspace) {

    @Creator
    public ToolCallResult {
    }

    public ToolCallResult(boolean isError, Map<String, Object> structuredContent,
                          @Nullable AuthzContext authz, @Nullable Boolean admitted) {
        this(isError, structuredContent, authz, admitted, null);
    }

    public ToolCallResult(boolean isError, Map<String, Object> structuredContent) {
        this(isError, structuredContent, null, null, null);
    }

    /** The same answer, carrying the project context it was decided on. */
    public ToolCallResult decidedOn(@Nullable AuthzContext context, boolean wasAdmitted) {
        return new ToolCallResult(isError, structuredContent, context, wasAdmitted, null);
    }

    /** The same answer to a call across a workspace, carrying the workspace context it was decided on. */
    public ToolCallResult decidedAcross(@Nullable WorkspaceAccess access, boolean wasAdmitted) {
        return new ToolCallResult(isError, structuredContent, null, wasAdmitted, access);
    }
}
