package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.ConnectionQueries;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** A backlog item as stored. */
public record Item(
        String id,
        String projectId,
        long number,
        String type,
        String title,
        String description,
        String status,
        String priority,
        String assigneeId,
        List<String> ownerIds,
        List<String> labels,
        String parentId,
        String releaseId,
        String reporterId,
        Instant completedAt,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final List<String> TYPES = List.of("feature_request", "bug_report", "task", "feedback",
            "documentation", "security", "ci_cd", "platform_infrastructure");
    /** Status categories; fixed, while each project may rename them. */
    public static final List<String> STATUSES = List.of("open", "planned", "in_progress", "done", "cancelled");
    public static final List<String> OPEN_STATUSES = List.of("open", "planned", "in_progress");
    public static final List<String> PRIORITIES = List.of("low", "medium", "high", "critical");

    public static final String COLUMNS = "i.id, i.project_id, i.number, i.type, i.title, i.description, i.status, "
            + "i.priority, i.assignee_id, i.owner_ids, i.labels, i.parent_id, i.release_id, i.reporter_id, "
            + "i.completed_at, i.created_at, i.updated_at, i.version";

    public static Item from(ResultSet rs) throws SQLException {
        return new Item(rs.getString("id"), rs.getString("project_id"), rs.getLong("number"), rs.getString("type"),
                rs.getString("title"), rs.getString("description"), rs.getString("status"), rs.getString("priority"),
                rs.getString("assignee_id"), ConnectionQueries.strings(rs, "owner_ids"), ConnectionQueries.strings(rs, "labels"),
                rs.getString("parent_id"), rs.getString("release_id"), rs.getString("reporter_id"),
                ConnectionQueries.instant(rs, "completed_at"), ConnectionQueries.instant(rs, "created_at"), ConnectionQueries.instant(rs, "updated_at"),
                rs.getLong("version"));
    }

    public String uri() {
        return "backlog://items/" + id;
    }
}
