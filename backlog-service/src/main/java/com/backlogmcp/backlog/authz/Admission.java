package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.Sql;
import com.backlogmcp.backlog.tools.ToolFailure;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Plan;
import com.backlogmcp.contracts.vocabulary.Role;

/**
 * Who may act in a project, decided from live data on every call: the project exists, the user is a member with
 * at least the needed role, and (defence in depth; the edge checks the same first) the workspace is neither
 * suspended nor without the MCP add-on, and its plan allows writes when the action writes.
 */
public final class Admission {

    private Admission() {
    }

    public static AuthzContext admit(Sql sql, String projectId, String userId, String action, Role minRole,
                                     boolean write) {
        AuthzContext context = ProjectAccess.find(sql, projectId, userId)
                .orElseThrow(() -> ToolFailure.notFound("project", projectId));
        Role role = Role.fromWire(context.role()).orElseThrow(() -> ToolFailure.of(ErrorType.NOT_A_MEMBER,
                "The acting user is not a member of project " + projectId + "."));
        if (context.suspended()) {
            throw ToolFailure.of(ErrorType.WORKSPACE_SUSPENDED, "The workspace of this project is suspended.");
        }
        if (!context.mcpEnabled()) {
            throw ToolFailure.of(ErrorType.MCP_DISABLED, "The MCP add-on is off for this workspace.");
        }
        if (write && !Plan.fromWire(context.plan()).map(Plan::allowsWrites).orElse(false)) {
            throw ToolFailure.of(ErrorType.PLAN_READ_ONLY,
                    action + " writes and the workspace's plan allows read tools only.");
        }
        if (!role.atLeast(minRole)) {
            throw ToolFailure.of(ErrorType.FORBIDDEN, action + " needs the role " + minRole.wire()
                    + " or higher; the acting user is " + role.wire() + ".");
        }
        return context;
    }
}
