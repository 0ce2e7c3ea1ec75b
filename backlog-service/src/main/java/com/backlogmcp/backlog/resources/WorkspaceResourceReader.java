package com.backlogmcp.backlog.resources;

import com.backlogmcp.backlog.authz.Admission;
import com.backlogmcp.backlog.authz.WorkspaceAdmission;
import com.backlogmcp.backlog.catalog.ResourceCatalog;
import com.backlogmcp.backlog.releases.ReleaseStore;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.backlog.workspace.WorkspaceProjects;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.contracts.vocabulary.Role;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a resource URI on a workspace endpoint: the workspace's own resources (its projects and releases, only
 * those the user is a member of), or a project's or item's resource after the same checks as on that project's
 * endpoint (the project must be in this workspace and the user a member of it).
 */
final class WorkspaceResourceReader {

    private static final Pattern WORKSPACE = Pattern.compile("^backlog://workspaces/([^/]+)/(projects|releases)$");
    private static final Pattern PROJECT = Pattern.compile("^backlog://projects/([^/]+)(/[a-z-]+)?$");
    private static final Pattern ITEM = Pattern.compile("^backlog://items/([^/]+)$");

    private WorkspaceResourceReader() {
    }

    static Map<String, Object> read(ConnectionQueries sql, String workspaceId, String userId, String uri) {
        Matcher workspace = WORKSPACE.matcher(uri);
        if (workspace.matches()) {
            if (!workspace.group(1).equals(workspaceId)) {
                throw notFound(uri);
            }
            WorkspaceAdmission.Context context = WorkspaceAdmission.admit(sql, workspaceId, userId);
            Object content = workspace.group(2).equals("projects")
                    ? Map.of("projects", WorkspaceProjects.page(sql, workspaceId, userId, null, ResourceReader.MAX_ROWS))
                    : Map.of("releases", ReleaseStore.ofProjects(sql, context.projectsWith(Role.VIEWER), ResourceReader.MAX_ROWS));
            return Map.of("contents", List.of(ResultMaps.of("uri", uri, "mimeType", ResourceCatalog.JSON,
                    "text", Json.write(content))));
        }
        String projectId = projectOf(sql, uri).orElseThrow(() -> notFound(uri));
        WorkspaceAdmission.requireProjectIn(sql, workspaceId, projectId);
        Admission.admit(sql, projectId, userId, "resources/read", Role.VIEWER, false);
        return ResourceReader.read(sql, projectId, uri);
    }

    private static Optional<String> projectOf(ConnectionQueries sql, String uri) {
        Matcher project = PROJECT.matcher(uri);
        if (project.matches()) {
            return Optional.of(project.group(1));
        }
        Matcher item = ITEM.matcher(uri);
        if (item.matches()) {
            return sql.one("SELECT project_id FROM items WHERE id = ?", rs -> rs.getString(1), item.group(1));
        }
        return Optional.empty();
    }

    private static ToolFailure notFound(String uri) {
        return ToolFailure.of(ErrorType.NOT_FOUND, "No resource " + uri + " in this workspace.",
                "List the resources (resources/list) or call list_projects to find a valid URI.");
    }
}
