package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Answer of backlog-service {@code GET /internal/workspaces/{workspaceId}/access?userId=} (404 when the workspace
 * does not exist): the workspace's flags and plan, and the projects of it the user is a member of, with their role.
 * Read live, never cached: the edge decides calls across a workspace on it, auth-service its consent page.
 */
@Serdeable
public record WorkspaceAccess(String workspaceId, String workspaceName, String plan, boolean mcpEnabled,
                              boolean suspended, @Nullable List<MemberProject> projects) {

    /** A project of the workspace the user is a member of. */
    @Serdeable
    public record MemberProject(String projectId, String projectName, String role) {
    }
}
