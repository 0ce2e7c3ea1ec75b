package com.backlogmcp.backlog.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Resources of DESIGN §5. Concrete resources carry {@code {projectId}}, which the edge fills in from the endpoint
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

    public List<Catalog.ResourceTemplate> templates() {
        return List.of(new Catalog.ResourceTemplate("backlog://items/{id}", "item", "Backlog item",
                "One item with every field, its subtasks, external mappings and comments (the latest 100, oldest first, "
                + "with commentCount). {id} is an item id (itm_…).", JSON,
                Scope.BACKLOG_READ.value()));
    }
}
