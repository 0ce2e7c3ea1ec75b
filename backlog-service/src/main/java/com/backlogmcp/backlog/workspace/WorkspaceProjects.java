package com.backlogmcp.backlog.workspace;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The projects of a workspace a user is a member of, as list_projects and the workspace resource show them: the
 * user's role, the workspace's plan and the item counts by status (one grouped query for the page).
 */
public final class WorkspaceProjects {

    private WorkspaceProjects() {
    }

    public static Schema schema() {
        Schema counts = Schema.object();
        Item.STATUSES.forEach(s -> counts.prop(s, Schema.integer()));
        return Schema.object()
                .prop("id", Schema.string())
                .prop("name", SharedSchemas.untrusted("Project name"))
                .prop("description", SharedSchemas.nullableUntrusted("Project description"))
                .prop("role", Schema.enumOf("viewer", "member", "admin", "owner").description("Your role in it."))
                .prop("plan", Schema.enumOf("free", "pro", "business", "enterprise")
                        .description("The workspace's plan: free allows read tools only."))
                .prop("itemCounts", counts.description("Items by status category."))
                .prop("totalItems", Schema.integer())
                .prop("uri", Schema.string().description("The project's resource."))
                .required("id", "name", "role", "plan", "itemCounts", "totalItems");
    }

    /** At most {@code rows} of the user's projects in the workspace with an id after {@code afterId}, by id. */
    public static List<Map<String, Object>> page(ConnectionQueries sql, String workspaceId, String userId, String afterId, int rows) {
        List<Map<String, Object>> projects = sql.list("""
                SELECT p.id, p.name, p.description, m.role, w.plan
                  FROM members m JOIN projects p ON p.id = m.project_id JOIN workspaces w ON w.id = p.workspace_id
                 WHERE p.workspace_id = ? AND m.user_id = ? AND p.id > ?
                 ORDER BY p.id LIMIT ?""",
                rs -> ResultMaps.of("id", rs.getString("id"), "name", UntrustedText.wrap(rs.getString("name")),
                        "description", UntrustedText.wrap(rs.getString("description")),
                        "role", rs.getString("role"), "plan", rs.getString("plan")),
                workspaceId, userId, afterId == null ? "" : afterId, rows);
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (Map<String, Object> p : projects) {
            Map<String, Long> zero = new LinkedHashMap<>();
            Item.STATUSES.forEach(s -> zero.put(s, 0L));
            counts.put((String) p.get("id"), zero);
        }
        if (!counts.isEmpty()) {
            sql.list("SELECT project_id, status, count(*) AS n FROM items WHERE project_id = ANY(?) GROUP BY project_id, status",
                    rs -> counts.get(rs.getString("project_id")).put(rs.getString("status"), rs.getLong("n")),
                    List.copyOf(counts.keySet()));
        }
        for (Map<String, Object> p : projects) {
            Map<String, Long> c = counts.get((String) p.get("id"));
            p.put("itemCounts", c);
            p.put("totalItems", c.values().stream().mapToLong(Long::longValue).sum());
            p.put("uri", "backlog://projects/" + p.get("id"));
        }
        return projects;
    }
}
