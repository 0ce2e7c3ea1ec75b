package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.tools.Arguments;
import com.backlogmcp.backlog.support.ToolFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Items in SQL. Every look-up is by (project, id): an id of another project is not found, exactly like an id
 * that does not exist, so nobody can probe for ids outside their project.
 */
public final class ItemStore {

    private ItemStore() {
    }

    public static Optional<Item> find(ConnectionQueries sql, String projectId, String id) {
        return sql.one("SELECT " + Item.COLUMNS + " FROM items i WHERE i.project_id = ? AND i.id = ?", Item::from,
                projectId, id);
    }

    public static Item require(ConnectionQueries sql, String projectId, String id) {
        return find(sql, projectId, id).orElseThrow(() -> ToolFailure.notFound("item", id)
                .next("search", Map.of("query", id), "Call search (or list_items) to find the item's id in this project."));
    }

    /** Each id must be an item of the project; the first one that is not is named in the failure. */
    public static void requireAll(ConnectionQueries sql, String projectId, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return;
        }
        List<String> found = sql.list("SELECT id FROM items WHERE project_id = ? AND id = ANY(?)",
                rs -> rs.getString(1), projectId, ids);
        for (String id : ids) {
            if (!found.contains(id)) {
                throw ToolFailure.notFound("item", id);
            }
        }
    }

    /** The assignee and owners named in an item's arguments must be members of the project. */
    public static void requirePeopleAreMembers(ConnectionQueries sql, String projectId, Arguments a) {
        List<String> people = new ArrayList<>();
        if (a.text("assigneeId") != null) {
            people.add(a.text("assigneeId"));
        }
        if (a.strings("ownerIds") != null) {
            people.addAll(a.strings("ownerIds"));
        }
        requireMembers(sql, projectId, people);
    }

    /** A user id named in the arguments (assignee, owner) must be a member of the project. */
    public static void requireMembers(ConnectionQueries sql, String projectId, List<String> userIds) {
        if (userIds == null || userIds.isEmpty()) {
            return;
        }
        List<String> found = sql.list("SELECT user_id FROM members WHERE project_id = ? AND user_id = ANY(?)",
                rs -> rs.getString(1), projectId, userIds);
        for (String id : userIds) {
            if (!found.contains(id)) {
                throw ToolFailure.notFound("member", id)
                        .next("list_members", Map.of(), "Call list_members to find the userId of the person you mean.");
            }
        }
    }

    public static void requireRelease(ConnectionQueries sql, String projectId, String releaseId) {
        if (releaseId != null && sql.one("SELECT 1 FROM releases WHERE project_id = ? AND id = ?",
                rs -> 1, projectId, releaseId).isEmpty()) {
            throw ToolFailure.notFound("release", releaseId)
                    .next("list_releases", Map.of(), "Call list_releases to find the release id.");
        }
    }

    public record NewItem(String type, String title, String description, String status, String priority,
                          String assigneeId, List<String> ownerIds, List<String> labels, String parentId,
                          String releaseId, String reporterId) {
    }

    public static Item insert(ConnectionQueries sql, String projectId, NewItem n) {
        long number = sql.one("UPDATE projects SET item_seq = item_seq + 1 WHERE id = ? RETURNING item_seq",
                rs -> rs.getLong(1), projectId).orElseThrow();
        String id = Ids.next("itm");
        sql.update("""
                INSERT INTO items (id, project_id, number, type, title, description, status, priority, assignee_id,
                                   owner_ids, labels, parent_id, release_id, reporter_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, projectId, number, n.type(), n.title(), n.description(), n.status(), n.priority(),
                n.assigneeId(), n.ownerIds() == null ? List.of() : n.ownerIds(),
                n.labels() == null ? List.of() : n.labels(), n.parentId(), n.releaseId(), n.reporterId());
        return require(sql, projectId, id);
    }

    /**
     * Applies only the given columns in one UPDATE, so two calls changing different fields both survive: the
     * row lock serialises them and neither rewrites a column it was not asked to. With {@code expectedVersion}
     * the update happens only if nobody changed the item since that version.
     */
    public static Optional<Item> update(ConnectionQueries sql, String projectId, String id, Map<String, Object> columns,
                                        Long expectedVersion) {
        StringBuilder set = new StringBuilder();
        List<Object> params = new ArrayList<>();
        columns.forEach((column, value) -> {
            if (!set.isEmpty()) {
                set.append(", ");
            }
            if (value instanceof LabelEdit edit) {
                // Added and removed on the current row, not on what the caller read: concurrent edits compose.
                set.append("labels = ARRAY(SELECT DISTINCT l FROM unnest(array_cat(labels, ?::text[])) l "
                        + "WHERE l <> ALL(?::text[]) ORDER BY l)");
                params.add(edit.add());
                params.add(edit.remove());
            } else {
                set.append(column).append(" = ?");
                params.add(value);
            }
        });
        params.add(projectId);
        params.add(id);
        String versionCheck = "";
        if (expectedVersion != null) {
            versionCheck = " AND version = ?";
            params.add(expectedVersion);
        }
        int updated = sql.update("UPDATE items SET " + set + " WHERE project_id = ? AND id = ?" + versionCheck,
                params.toArray());
        return updated == 0 ? Optional.empty() : find(sql, projectId, id);
    }

    /** Labels to add and remove relative to whatever the row holds when the update runs. */
    public record LabelEdit(List<String> add, List<String> remove) {
    }

    public static List<Map<String, Object>> subtasks(ConnectionQueries sql, String projectId, String parentId) {
        return sql.list("""
                SELECT id, number, title, status FROM items WHERE project_id = ? AND parent_id = ?
                 ORDER BY number""",
                rs -> com.backlogmcp.backlog.support.ResultMaps.of("id", rs.getString("id"), "number", rs.getLong("number"),
                        "title", com.backlogmcp.backlog.support.UntrustedText.wrap(rs.getString("title")),
                        "status", rs.getString("status")),
                projectId, parentId);
    }

    public static Map<String, Long> countsByStatus(ConnectionQueries sql, String projectId) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        Item.STATUSES.forEach(s -> counts.put(s, 0L));
        sql.list("SELECT status, count(*) AS n FROM items WHERE project_id = ? GROUP BY status",
                rs -> counts.put(rs.getString("status"), rs.getLong("n")), projectId);
        return counts;
    }
}
