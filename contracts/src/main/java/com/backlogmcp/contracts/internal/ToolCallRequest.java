package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Body of backlog-service {@code POST /internal/tools/{name}}: run tool {@code name} in {@code projectId} acting
 * as {@code userId}. backlog-service re-checks membership, role, suspension, the MCP add-on and the plan in the
 * tool's own transaction and binds every id in {@code arguments} to the project. {@code requires} is what the
 * caller's copy of the catalog says the tool needs; backlog-service applies the stricter of it and its own
 * definition, so a call the edge would refuse on the returned context never runs (null: its own definition only).
 * {@code clientId} names the client the user acts through (an OAuth client id, or {@code api_key:<keyId>}); it is
 * recorded in the item history next to the user.
 * <p>
 * {@code workspaceId} is set for a call on a workspace endpoint: {@code projectId} is then the project the call
 * touches (it must belong to the workspace), or null for a call across the workspace's projects the user is a member of.
 */
@Serdeable
public record ToolCallRequest(@Nullable String projectId, String userId, @Nullable Map<String, Object> arguments,
                              @Nullable Requirements requires, @Nullable String clientId, @Nullable String workspaceId) {

    @Creator
    public ToolCallRequest {
    }

    public ToolCallRequest(String projectId, String userId, @Nullable Map<String, Object> arguments,
                           @Nullable Requirements requires, @Nullable String clientId) {
        this(projectId, userId, arguments, requires, clientId, null);
    }

    public ToolCallRequest(String projectId, String userId, @Nullable Map<String, Object> arguments) {
        this(projectId, userId, arguments, null, null);
    }

    /** The least role the tool needs and whether it writes (a write needs a plan that allows writes). */
    @Serdeable
    public record Requirements(String minRole, boolean write) {
    }
}
