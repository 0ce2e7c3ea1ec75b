package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.ConnectionQueries;

import java.util.LinkedHashMap;
import java.util.Map;

/** The project's names for the fixed status categories (a project may rename "in_progress" to "Doing"). */
public final class ProjectStatuses {

    public static final Map<String, String> DEFAULT_NAMES = Map.of("open", "Open", "planned", "Planned",
            "in_progress", "In progress", "done", "Done", "cancelled", "Cancelled");

    private ProjectStatuses() {
    }

    public static Map<String, String> names(ConnectionQueries sql, String projectId) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String category : Item.STATUSES) {
            names.put(category, DEFAULT_NAMES.get(category));
        }
        sql.list("SELECT category, name FROM project_statuses WHERE project_id = ?",
                rs -> names.put(rs.getString("category"), rs.getString("name")), projectId);
        return names;
    }
}
