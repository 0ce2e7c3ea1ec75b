package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Answer of backlog-service {@code GET /internal/authz?projectId=&userId=} (404 when the project does not exist).
 * {@code role} is null when the user is not a member. Read live on every tool call; never cached.
 */
@Serdeable
public record AuthzContext(
        String projectId,
        String projectName,
        String workspaceId,
        String workspaceName,
        String plan,
        boolean mcpEnabled,
        boolean suspended,
        @Nullable String role) {

    public boolean member() {
        return role != null;
    }
}
