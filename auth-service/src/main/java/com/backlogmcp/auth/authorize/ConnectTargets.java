package com.backlogmcp.auth.authorize;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.backlog.WorkspaceAccessClient;
import com.backlogmcp.contracts.internal.WorkspaceAccess;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.Role;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCP endpoints a grant can be bound to (RFC 8707 resources): a project's {@code ${MCP_PUBLIC_URL}/p/{id}/mcp}
 * or a workspace's {@code ${MCP_PUBLIC_URL}/w/{id}/mcp}. For consent, a workspace is described like a project: its
 * plan and flags, and as role the highest the user holds in any of its projects (each call is still checked
 * against the project it touches), plus the list of its projects the user can reach.
 */
@Singleton
public class ConnectTargets {

    /** What consent shows and decides on; {@code projects} is non-empty only for a workspace the user belongs to. */
    public record Target(String resource, AuthzContext context, boolean workspace,
                         List<WorkspaceAccess.MemberProject> projects) {
    }

    /** An endpoint the user may choose when the client named none. */
    public record Choice(String resource, String label) {
    }

    private final BacklogClient backlog;
    private final WorkspaceAccessClient workspaces;
    private final AuthSettings settings;
    private final Pattern project;
    private final Pattern workspace;

    ConnectTargets(BacklogClient backlog, WorkspaceAccessClient workspaces, AuthSettings settings) {
        this.backlog = backlog;
        this.workspaces = workspaces;
        this.settings = settings;
        this.project = Pattern.compile(Pattern.quote(settings.mcpBase()) + "/p/([A-Za-z0-9_-]{1,64})/mcp");
        this.workspace = Pattern.compile(Pattern.quote(settings.mcpBase()) + "/w/([A-Za-z0-9_-]{1,64})/mcp");
    }

    public boolean isEndpoint(String resource) {
        return project.matcher(resource).matches() || workspace.matcher(resource).matches();
    }

    /** The endpoint's target for {@code userId} (null: anonymous, only existence is known); empty when it does not exist. */
    public Optional<Target> resolve(String resource, String userId) {
        Matcher p = project.matcher(resource);
        if (p.matches()) {
            return backlog.authz(p.group(1), userId).map(ctx -> new Target(resource, ctx, false, List.of()));
        }
        Matcher w = workspace.matcher(resource);
        if (!w.matches()) {
            return Optional.empty();
        }
        return workspaces.access(w.group(1), userId).map(a -> {
            Role highest = a.projects().stream().map(m -> Role.fromWire(m.role()).orElse(Role.VIEWER))
                    .max(Comparator.comparingInt(Role::ordinal)).orElse(null);
            AuthzContext ctx = new AuthzContext(null, a.workspaceName(), a.workspaceId(), a.workspaceName(), a.plan(),
                    a.mcpEnabled(), a.suspended(), highest == null ? null : highest.wire());
            return new Target(resource, ctx, true, a.projects());
        });
    }

    /** Every endpoint the user belongs to: each of their projects, and each workspace holding one of them. */
    public List<Choice> choicesFor(String userId) {
        List<Choice> out = new ArrayList<>();
        Map<String, String> seenWorkspaces = new LinkedHashMap<>();
        for (BacklogClient.ProjectRef p : backlog.projectsOf(userId)) {
            out.add(new Choice(settings.mcpEndpoint(p.projectId()),
                    "Project " + (p.projectName() != null ? p.projectName() : p.projectId())));
            if (p.workspaceId() != null) {
                seenWorkspaces.putIfAbsent(p.workspaceId(), p.workspaceId());
            }
        }
        for (String w : seenWorkspaces.keySet()) {
            out.add(new Choice(settings.mcpBase() + "/w/" + w + "/mcp", "Whole workspace " + w
                    + " (every project of it you are a member of)"));
        }
        return out;
    }
}
