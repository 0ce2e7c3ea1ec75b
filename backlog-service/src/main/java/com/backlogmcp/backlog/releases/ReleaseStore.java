package com.backlogmcp.backlog.releases;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.items.ItemStore;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Releases and their items (an item belongs to at most one release). */
public final class ReleaseStore {

    static final List<String> STATUSES = List.of("planned", "in_progress", "released");
    static final List<String> FIELDS = List.of("id", "name", "description", "status", "targetDate", "releasedAt",
            "itemCount", "createdAt", "updatedAt");
    static final List<String> COMPACT = List.of("id", "name", "status", "targetDate", "releasedAt", "itemCount");
    static final String SELECT = """
            SELECT r.id, r.name, r.description, r.status, r.target_date, r.released_at, r.created_at, r.updated_at,
                   (SELECT count(*) FROM items i WHERE i.release_id = r.id) AS item_count
              FROM releases r""";

    private ReleaseStore() {
    }

    public static Map<String, Object> row(ResultSet rs) throws SQLException {
        return ResultMaps.of("id", rs.getString("id"), "name", UntrustedText.wrap(rs.getString("name")),
                "description", UntrustedText.wrap(rs.getString("description")), "status", rs.getString("status"),
                "targetDate", ResultMaps.date(ConnectionQueries.date(rs, "target_date")),
                "releasedAt", ResultMaps.time(ConnectionQueries.instant(rs, "released_at")), "itemCount", rs.getLong("item_count"),
                "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")),
                "updatedAt", ResultMaps.time(ConnectionQueries.instant(rs, "updated_at")));
    }

    public static List<Map<String, Object>> all(ConnectionQueries sql, String projectId) {
        return sql.list(SELECT + " WHERE r.project_id = ? ORDER BY r.created_at DESC, r.id DESC", ReleaseStore::row,
                projectId);
    }

    /** The newest releases of several projects, each naming its project (a workspace's view). */
    public static List<Map<String, Object>> ofProjects(ConnectionQueries sql, List<String> projectIds, int max) {
        return sql.list("SELECT * FROM (" + SELECT.replace("SELECT r.id,", "SELECT r.project_id, r.id,")
                        + " WHERE r.project_id = ANY(?)) r ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
                rs -> {
                    Map<String, Object> row = ResultMaps.of("projectId", rs.getString("project_id"));
                    row.putAll(row(rs));
                    return row;
                }, projectIds, max);
    }

    static Map<String, Object> require(ConnectionQueries sql, String projectId, String id) {
        return sql.one(SELECT + " WHERE r.project_id = ? AND r.id = ?", ReleaseStore::row, projectId, id)
                .orElseThrow(() -> ToolFailure.notFound("release", id));
    }

    /** Tells followers the project's release list changed and answers with the release as it is now. */
    static Map<String, Object> changedResult(ToolCall call, String id) {
        call.changed("backlog://projects/" + call.projectId() + "/releases");
        return Map.of("release", require(call.sql(), call.projectId(), id));
    }

    /** Moves the given items into (or out of) the release; every id must be an item of the project. */
    static void assign(ToolCall call, String releaseId, List<String> add, List<String> remove) {
        if (add != null && !add.isEmpty()) {
            ItemStore.requireAll(call.sql(), call.projectId(), add);
            call.sql().update("UPDATE items SET release_id = ? WHERE project_id = ? AND id = ANY(?)",
                    releaseId, call.projectId(), add);
            add.forEach(id -> call.changed("backlog://items/" + id));
        }
        if (remove != null && !remove.isEmpty()) {
            ItemStore.requireAll(call.sql(), call.projectId(), remove);
            call.sql().update("UPDATE items SET release_id = NULL WHERE project_id = ? AND release_id = ? AND id = ANY(?)",
                    call.projectId(), releaseId, remove);
            remove.forEach(id -> call.changed("backlog://items/" + id));
        }
    }

    static Schema schema() {
        return Schema.object()
                .prop("id", Schema.string().description("Release id (rel_…)."))
                .prop("name", SharedSchemas.untrusted("Release name"))
                .prop("description", SharedSchemas.nullableUntrusted("Release notes"))
                .prop("status", Schema.enumOf(STATUSES))
                .prop("targetDate", Schema.nullableString().format("date"))
                .prop("releasedAt", SharedSchemas.nullableTimestamp("When it was marked released."))
                .prop("itemCount", Schema.integer())
                .prop("createdAt", SharedSchemas.timestamp("Creation time."))
                .prop("updatedAt", SharedSchemas.timestamp("Last change."));
    }

    static Schema itemIds(String what) {
        return Schema.array(SharedSchemas.id("Item id (itm_…).")).uniqueItems().maxItems(100).description(what);
    }
}
