package com.backlogmcp.backlog.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The resources every project offers. Concrete resources carry {@code {projectId}}, which the edge fills in from the endpoint
 * URL; items are reached through the template. All are JSON and need {@code backlog:read} (role viewer).
 */
@Singleton
public final class ResourceCatalog {

    public static final String JSON = "application/json";

    public List<Catalog.Resource> resources() {
        String read = Scope.BACKLOG_READ.value();
        return List.of(
                new Catalog.Resource("backlog://projects/{projectId}", "project", "Project overview",
                        "The project: name, workspace plan, status names and item counts by status.", JSON, read),
                new Catalog.Resource("backlog://projects/{projectId}/items", "project-items", "Recent items",
                        "The 100 most recently updated items of the project (compact rows). Use list_items to filter or page.",
                        JSON, read),
                new Catalog.Resource("backlog://projects/{projectId}/releases", "project-releases", "Releases",
                        "Every release of the project with its status, target date and item count.", JSON, read),
                new Catalog.Resource("backlog://projects/{projectId}/task-mappings", "project-task-mappings",
                        "External task mappings",
                        "Links between items and tasks in external trackers (system, externalId, ref, url).", JSON, read));
    }

    /** Resources of a workspace endpoint; {@code {workspaceId}} is filled in by the edge from the URL. */
    public List<Catalog.Resource> workspaceResources() {
        String read = Scope.BACKLOG_READ.value();
        return List.of(
                new Catalog.Resource("backlog://workspaces/{workspaceId}/projects", "workspace-projects",
                        "Your projects", "The workspace's projects you are a member of, with your role, the plan and "
                        + "item counts by status (like list_projects).", JSON, read),
                new Catalog.Resource("backlog://workspaces/{workspaceId}/releases", "workspace-releases",
                        "Releases across projects", "The releases of every project of the workspace you are a member "
                        + "of, each naming its project, newest first (at most 100).", JSON, read));
    }

    public List<Catalog.ResourceTemplate> templates() {
        return List.of(new Catalog.ResourceTemplate("backlog://items/{id}", "item", "Backlog item",
                "One item with every field, its subtasks, external mappings and comments (the latest 100, oldest first, "
                + "with commentCount). {id} is an item id (itm_…).", JSON,
                Scope.BACKLOG_READ.value()));
    }
}
