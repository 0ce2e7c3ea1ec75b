package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Role;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Step 5: the acting user is a member of the project right now, with a role high enough for the tool. Asked of
 * backlog-service on every call (never cached), so removing a member takes effect on their next call.
 */
@Singleton
final class MembershipStep extends OrderedStep {

    static final int ORDER = 5;

    MembershipStep() {
        super(ORDER, PROJECT_DATA);
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        Optional<AuthzContext> authz = call.authz();
        if (authz.isEmpty()) {
            return Optional.of(Denial.of(ErrorType.NOT_FOUND, 404, "Project " + call.projectId() + " does not exist."));
        }
        Optional<Role> role = Role.fromWire(authz.get().role());
        if (role.isEmpty()) {
            return Optional.of(Denial.of(ErrorType.NOT_A_MEMBER, 200, "You are not a member of this project."));
        }
        if (call.isToolCall()) {
            Role minimum = Role.fromWire(call.tool().minRole()).orElse(Role.OWNER);
            if (!role.get().atLeast(minimum)) {
                return Optional.of(Denial.of(ErrorType.FORBIDDEN, 200,
                        "Tool " + call.tool().name() + " needs the role " + minimum.wire() + "; you are " + role.get().wire() + ".")
                        .withDetails(java.util.Map.of("required_role", minimum.wire(), "role", role.get().wire())));
            }
        }
        return Optional.empty();
    }
}
