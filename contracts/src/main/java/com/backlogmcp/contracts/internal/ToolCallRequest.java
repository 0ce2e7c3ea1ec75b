package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Body of backlog-service {@code POST /internal/tools/{name}}: run tool {@code name} in {@code projectId} acting
 * as {@code userId}. backlog-service re-checks the role and binds every id in {@code arguments} to the project.
 * {@code clientId} names the client the user acts through (an OAuth client id, or {@code api_key:<keyId>}); it is
 * recorded in the item history next to the user.
 */
@Serdeable
public record ToolCallRequest(String projectId, String userId, @Nullable Map<String, Object> arguments,
                              @Nullable String clientId) {

    public ToolCallRequest(String projectId, String userId, @Nullable Map<String, Object> arguments) {
        this(projectId, userId, arguments, null);
    }
}
