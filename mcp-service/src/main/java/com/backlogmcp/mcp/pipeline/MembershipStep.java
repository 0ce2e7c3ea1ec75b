package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.mcp.catalog.AccessRules;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * Step 5: the acting user is a member of the project right now, with a role high enough for the tool. Decided on
 * the live context, never a cached one: for a tool call the context backlog-service read in the tool's own
 * transaction (it refuses to run the tool on the same rule, so a refusal here means nothing ran), for any other
 * method a fresh read. Removing a member therefore takes effect on their very next call.
 * <p>
 * On a workspace endpoint a call touching a project is decided on that project (which must belong to the
 * workspace: another one is simply not found), so removal from one project stops the next call touching it and
 * no other; a call across the workspace needs membership of at least one of its projects.
 */
@Singleton
final class MembershipStep extends OrderedStep {

    static final int ORDER = 5;

    MembershipStep() {
        super(ORDER, PROJECT_DATA);
    }

    @Override
    public boolean decidesOnLiveContext() {
        return true;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        Optional<AuthzContext> authz = call.authz();
        if (call.acrossWorkspace() && authz.isEmpty()) {
            return Optional.of(Denial.of(ErrorType.NOT_FOUND, 404, "Workspace " + call.endpoint().id() + " does not exist."));
        }
        if (call.endpoint().isWorkspace() && !call.acrossWorkspace()
                && authz.map(ctx -> !call.endpoint().id().equals(ctx.workspaceId())).orElse(true)) {
            return Optional.of(notInWorkspace(call));
        }
        if (authz.isEmpty()) {
            return Optional.of(Denial.of(ErrorType.NOT_FOUND, 404, "Project " + call.projectId() + " does not exist."));
        }
        Optional<Role> role = AccessRules.role(authz.get());
        if (role.isEmpty()) {
            return Optional.of(Denial.of(ErrorType.NOT_A_MEMBER, 200, call.acrossWorkspace()
                    ? "You are not a member of any project of workspace " + call.endpoint().id() + "."
                    : call.endpoint().isWorkspace() ? "You are not a member of project " + call.projectId() + "."
                    : "You are not a member of this project."));
        }
        if (call.isToolCall() && !AccessRules.roleSuffices(authz.get(), call.tool())) {
            Role minimum = AccessRules.minimumRole(call.tool());
            return Optional.of(Denial.of(ErrorType.FORBIDDEN, 200,
                    "Tool " + call.tool().name() + " needs the role " + minimum.wire() + "; you are " + role.get().wire() + ".")
                    .withDetails(Map.of("required_role", minimum.wire(), "role", role.get().wire())));
        }
        return Optional.empty();
    }

    /** A project named on a workspace endpoint that is not one of its projects: not found, whether it exists or not. */
    static Denial notInWorkspace(McpCall call) {
        return Denial.of(ErrorType.NOT_FOUND, 200, "No project " + call.projectId() + " in workspace " + call.endpoint().id() + ".")
                .withHint("Call list_projects to see the projects you can use here, and pass one of their ids as projectId.");
    }
}
