package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;

import java.util.Comparator;
import java.util.List;

/**
 * Who may act across a workspace, from live data on every call: the workspace exists, the user is a member of at
 * least one of its projects, and the rules of {@link Admission} hold with the highest role the user has there
 * (suspension, the MCP add-on, the plan when the action writes, the least role). The call then covers exactly the
 * projects where the user's role reaches the action's minimum: membership is per project, so removal from one
 * project drops it from the next call and leaves the others.
 */
public final class WorkspaceAdmission {

    /** The workspace access a call was admitted on. */
    public record Context(WorkspaceAccess access) {

        /** The user's projects where their role reaches {@code minRole}, by project id. */
        public List<String> projectsWith(Role minRole) {
            return access.projects().stream()
                    .filter(p -> Role.fromWire(p.role()).map(r -> r.atLeast(minRole)).orElse(false))
                    .map(WorkspaceAccess.MemberProject::projectId)
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }

    /**
     * What the live checks decided: the access they read (null when the workspace does not exist) and, when they
     * refused, why. A refused call runs nothing; the caller still gets the access so it can say why itself.
     */
    public record Verdict(@Nullable WorkspaceAccess access, @Nullable ToolFailure refusal) {

        public boolean admitted() {
            return refusal == null;
        }

        /** The context an admitted call runs on. */
        public Context context() {
            if (refusal != null) {
                throw refusal;
            }
            return new Context(access);
        }
    }

    private WorkspaceAdmission() {
    }

    /** Admits a read of the workspace by any member of one of its projects, or throws the refusal. */
    public static Context admit(ConnectionQueries sql, String workspaceId, String userId) {
        return decide(sql, workspaceId, userId, "This read", Role.VIEWER, false).context();
    }

    public static Verdict decide(ConnectionQueries sql, String workspaceId, String userId, String action, Role minRole,
                                 boolean write) {
        WorkspaceAccess access = WorkspaceAccesses.find(sql, workspaceId, userId).orElse(null);
        if (access == null) {
            return new Verdict(null, ToolFailure.of(ErrorType.NOT_FOUND, "No workspace " + workspaceId + ".",
                    "Check the workspace id in the endpoint URL."));
        }
        // The project rules, judged on the workspace's flags with the best role the user holds in it.
        AuthzContext asOneProject = new AuthzContext(null, null, access.workspaceId(), access.workspaceName(), access.plan(),
                access.mcpEnabled(), access.suspended(), access.highestRole().map(Role::wire).orElse(null));
        return new Verdict(access, Admission.refusal(asOneProject, "any project of workspace " + workspaceId, action,
                minRole, write).orElse(null));
    }

    /** A project named on a workspace endpoint must belong to that workspace; another one is simply not found. */
    public static void requireProjectIn(ConnectionQueries sql, String workspaceId, String projectId) {
        if (sql.one("SELECT 1 FROM projects WHERE id = ? AND workspace_id = ?", rs -> 1, projectId, workspaceId).isEmpty()) {
            throw ToolFailure.of(ErrorType.NOT_FOUND, "No project " + projectId + " in this workspace.",
                    "Call list_projects to see the projects you can use here.");
        }
    }
}
