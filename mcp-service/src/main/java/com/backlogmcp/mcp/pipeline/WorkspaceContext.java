package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import com.backlogmcp.contracts.vocabulary.Role;

import java.util.Optional;

/**
 * The live context of a call across a workspace, in the shape steps 5–6 decide every call on: the workspace's
 * flags and plan, no project, and as role the highest one the user holds in any project of the workspace
 * ({@link WorkspaceAccess#highestRole()}, the same reading backlog-service admits the call on). So the same
 * {@code AccessRules} decide it: a member of no project is NOT_A_MEMBER, a tool is callable when at least one
 * project lets the user call it, and backlog-service then covers exactly the projects where the role suffices.
 */
final class WorkspaceContext {

    private WorkspaceContext() {
    }

    /** Empty when the workspace does not exist. */
    static Optional<AuthzContext> of(Optional<WorkspaceAccess> access) {
        return access.map(a -> new AuthzContext(null, null, a.workspaceId(), a.workspaceName(), a.plan(),
                a.mcpEnabled(), a.suspended(), a.highestRole().map(Role::wire).orElse(null)));
    }
}
