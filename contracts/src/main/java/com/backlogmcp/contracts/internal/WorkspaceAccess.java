package com.backlogmcp.contracts.internal;

import com.backlogmcp.contracts.vocabulary.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Optional;

/**
 * Answer of backlog-service {@code GET /internal/workspaces/{workspaceId}/access?userId=} (404 when the workspace
 * does not exist): the workspace's flags and plan, and the projects of it the user is a member of, with their role.
 * Read live, never cached: the edge decides calls across a workspace on it (returned with the tool's answer, see
 * {@link ToolCallResult#workspace()}, or read separately), auth-service its consent page.
 */
@Serdeable
public record WorkspaceAccess(String workspaceId, String workspaceName, String plan, boolean mcpEnabled,
                              boolean suspended, @Nullable List<MemberProject> projects) {

    /** {@code projects} absent on the wire (serialization leaves out an empty list) reads as none. */
    public WorkspaceAccess {
        projects = projects == null ? List.of() : List.copyOf(projects);
    }

    /** A project of the workspace the user is a member of. */
    @Serdeable
    public record MemberProject(String projectId, String projectName, String role) {
    }

    /**
     * The role a call across the workspace is judged on: the highest the user holds in any of its projects (empty:
     * a member of none). A tool is callable across the workspace when at least one project lets the user call it;
     * the call then covers exactly the projects where the role suffices.
     */
    public Optional<Role> highestRole() {
        Optional<Role> best = Optional.empty();
        for (MemberProject p : projects) {
            Optional<Role> role = Role.fromWire(p.role());
            if (role.isPresent() && (best.isEmpty() || !best.get().atLeast(role.get()))) {
                best = role;
            }
        }
        return best;
    }
}
