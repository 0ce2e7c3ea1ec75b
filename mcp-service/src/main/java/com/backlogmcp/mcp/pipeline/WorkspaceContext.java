package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import com.backlogmcp.contracts.vocabulary.Role;

import java.util.List;
import java.util.Optional;

/**
 * The live context of a call across a workspace, in the shape steps 5–6 decide every call on: the workspace's
 * flags and plan, no project, and as role the highest one the user holds in any project of the workspace. So the
 * same {@code AccessRules} decide it: a member of no project is NOT_A_MEMBER, a tool is callable when at least one
 * project lets the user call it, and backlog-service then covers exactly the projects where the role suffices.
 */
final class WorkspaceContext {

    private WorkspaceContext() {
    }

    static Optional<AuthzContext> of(Optional<WorkspaceAccess> access) {
        return access.map(a -> new AuthzContext(null, null, a.workspaceId(), a.workspaceName(), a.plan(),
                a.mcpEnabled(), a.suspended(), highestRole(a.projects()).map(Role::wire).orElse(null)));
    }

    private static Optional<Role> highestRole(List<WorkspaceAccess.MemberProject> projects) {
        Optional<Role> best = Optional.empty();
        for (WorkspaceAccess.MemberProject p : projects == null ? List.<WorkspaceAccess.MemberProject>of() : projects) {
            Optional<Role> role = Role.fromWire(p.role());
            if (role.isPresent() && (best.isEmpty() || !best.get().atLeast(role.get()))) {
                best = role;
            }
        }
        return best;
    }
}
