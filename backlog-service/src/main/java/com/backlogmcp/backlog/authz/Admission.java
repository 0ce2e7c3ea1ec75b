package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Plan;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * Who may act in a project, decided from live data on every call: the project exists, the user is a member with
 * at least the needed role, and (defence in depth; the edge checks the same first) the workspace is neither
 * suspended nor without the MCP add-on, and its plan allows writes when the action writes.
 */
public final class Admission {

    private Admission() {
    }

    /**
     * What the live checks decided: the context they read (null when the project does not exist) and, when they
     * refused, why. A refused call runs nothing; the caller still gets the context so it can say why itself.
     */
    public record Verdict(@Nullable AuthzContext context, @Nullable ToolFailure refusal) {
        public boolean admitted() {
            return refusal == null;
        }
    }

    public static AuthzContext admit(ConnectionQueries sql, String projectId, String userId, String action, Role minRole,
                                     boolean write) {
        Verdict verdict = decide(sql, projectId, userId, action, minRole, write);
        if (verdict.refusal() != null) {
            throw verdict.refusal();
        }
        return verdict.context();
    }

    public static Verdict decide(ConnectionQueries sql, String projectId, String userId, String action, Role minRole, boolean write) {
        Optional<AuthzContext> found = ProjectAuthzContexts.find(sql, projectId, userId);
        if (found.isEmpty()) {
            return new Verdict(null, ToolFailure.notFound("project", projectId));
        }
        AuthzContext context = found.get();
        return new Verdict(context, refusal(context, "project " + projectId, action, minRole, write).orElse(null));
    }

    /**
     * The rules themselves, on a context whose {@code role} is the user's (null: not a member) in {@code where} —
     * one project, or for a call across a workspace the best role in any of its projects ({@link WorkspaceAdmission}).
     */
    static Optional<ToolFailure> refusal(AuthzContext context, String where, String action, Role minRole, boolean write) {
        Optional<Role> role = Role.fromWire(context.role());
        if (role.isEmpty()) {
            return Optional.of(ToolFailure.of(ErrorType.NOT_A_MEMBER,
                    "The acting user is not a member of " + where + "."));
        }
        if (context.suspended()) {
            return Optional.of(ToolFailure.of(ErrorType.WORKSPACE_SUSPENDED, "The workspace is suspended."));
        }
        if (!context.mcpEnabled()) {
            return Optional.of(ToolFailure.of(ErrorType.MCP_DISABLED, "The MCP add-on is off for this workspace."));
        }
        if (write && !Plan.fromWire(context.plan()).map(Plan::allowsWrites).orElse(false)) {
            return Optional.of(ToolFailure.of(ErrorType.PLAN_READ_ONLY,
                    action + " writes and the workspace's plan allows read tools only."));
        }
        if (!role.get().atLeast(minRole)) {
            return Optional.of(ToolFailure.of(ErrorType.FORBIDDEN, action + " needs the role " + minRole.wire()
                    + " or higher; the acting user is " + role.get().wire() + "."));
        }
        return Optional.empty();
    }
}
