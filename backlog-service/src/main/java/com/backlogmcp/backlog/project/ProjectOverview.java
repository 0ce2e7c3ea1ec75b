package com.backlogmcp.backlog.project;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.items.ItemStore;
import com.backlogmcp.backlog.items.ProjectStatuses;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The project as get_project and the project resource show it: identity, plan, statuses with live counts. */
public final class ProjectOverview {

    private ProjectOverview() {
    }

    public static Map<String, Object> of(ConnectionQueries sql, String projectId) {
        Map<String, Object> project = sql.one("""
                SELECT p.id, p.name, p.description, p.created_at, w.id AS workspace_id, w.name AS workspace_name, w.plan
                  FROM projects p JOIN workspaces w ON w.id = p.workspace_id WHERE p.id = ?""",
                rs -> ResultMaps.of("id", rs.getString("id"), "name", UntrustedText.wrap(rs.getString("name")),
                        "description", UntrustedText.wrap(rs.getString("description")),
                        "workspaceId", rs.getString("workspace_id"),
                        "workspaceName", UntrustedText.wrap(rs.getString("workspace_name")),
                        "plan", rs.getString("plan"), "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at"))),
                projectId).orElseThrow();
        Map<String, String> names = ProjectStatuses.names(sql, projectId);
        Map<String, Long> counts = ItemStore.countsByStatus(sql, projectId);
        List<Map<String, Object>> statuses = new ArrayList<>();
        long total = 0;
        for (String category : Item.STATUSES) {
            statuses.add(ResultMaps.of("status", category, "name", names.get(category), "count", counts.get(category)));
            total += counts.get(category);
        }
        project.put("statuses", statuses);
        project.put("totalItems", total);
        project.put("activeRelease", sql.one("""
                SELECT id, name, status, target_date FROM releases WHERE project_id = ? AND status <> 'released'
                 ORDER BY (status = 'in_progress') DESC, target_date NULLS LAST, created_at LIMIT 1""",
                rs -> ResultMaps.of("id", rs.getString("id"), "name", UntrustedText.wrap(rs.getString("name")),
                        "status", rs.getString("status"), "targetDate", ResultMaps.date(ConnectionQueries.date(rs, "target_date"))),
                projectId).orElse(null));
        project.put("uri", "backlog://projects/" + projectId);
        return project;
    }

    public static Schema schema() {
        return Schema.object()
                .prop("id", Schema.string())
                .prop("name", SharedSchemas.untrusted("Project name"))
                .prop("description", SharedSchemas.nullableUntrusted("Project description"))
                .prop("workspaceId", Schema.string())
                .prop("workspaceName", SharedSchemas.untrusted("Workspace name"))
                .prop("plan", Schema.enumOf("free", "pro", "business", "enterprise"))
                .prop("createdAt", SharedSchemas.timestamp("Creation time."))
                .prop("statuses", Schema.array(Schema.object()
                        .prop("status", Schema.enumOf(Item.STATUSES))
                        .prop("name", Schema.string().description("The project's name for this status."))
                        .prop("count", Schema.integer())
                        .required("status", "name", "count")))
                .prop("totalItems", Schema.integer())
                .prop("activeRelease", Schema.nullable(Schema.object()
                        .prop("id", Schema.string()).prop("name", SharedSchemas.untrusted("Release name"))
                        .prop("status", Schema.string()).prop("targetDate", Schema.nullableString())))
                .prop("uri", Schema.string())
                .required("id", "name", "plan", "statuses", "totalItems");
    }
}
