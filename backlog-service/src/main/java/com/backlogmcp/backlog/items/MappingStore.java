package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.ResultMaps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** External task mappings: one item ↔ one task in an external tracker, unique per project + system + externalId. */
public final class MappingStore {

    public static final String SYSTEM_PATTERN = "^[a-z][a-z0-9_-]{0,31}$";
    public static final String EXTERNAL_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:/#@+-]{0,199}$";
    static final String COLUMNS = "id, item_id, system, external_id, ref, url, synced_at, created_at, updated_at";

    private MappingStore() {
    }

    public static Map<String, Object> row(ResultSet rs) throws SQLException {
        return ResultMaps.of("id", rs.getString("id"), "itemId", rs.getString("item_id"), "system", rs.getString("system"),
                "externalId", rs.getString("external_id"), "ref", visible(rs.getString("ref")), "url", visible(rs.getString("url")),
                "syncedAt", ResultMaps.time(ConnectionQueries.instant(rs, "synced_at")), "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")),
                "updatedAt", ResultMaps.time(ConnectionQueries.instant(rs, "updated_at")));
    }

    public static List<Map<String, Object>> forItem(ConnectionQueries sql, String projectId, String itemId) {
        return sql.list("SELECT " + COLUMNS + " FROM external_mappings WHERE project_id = ? AND item_id = ? ORDER BY created_at, id",
                MappingStore::row, projectId, itemId);
    }

    public static List<Map<String, Object>> forProject(ConnectionQueries sql, String projectId, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM external_mappings WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                MappingStore::row, projectId, limit);
    }

    public static Optional<Map<String, Object>> find(ConnectionQueries sql, String projectId, String system, String externalId) {
        return sql.one("SELECT " + COLUMNS + " FROM external_mappings WHERE project_id = ? AND system = ? AND external_id = ?",
                MappingStore::row, projectId, system, externalId);
    }

    public static Schema schema() {
        return Schema.object()
                .prop("id", Schema.string().description("Mapping id (map_…)."))
                .prop("itemId", Schema.string())
                .prop("system", Schema.string().description("External tracker, e.g. github, jira, linear."))
                .prop("externalId", Schema.string().description("The task's id in that tracker."))
                .prop("ref", Schema.nullableString().description("Human reference, e.g. acme/web#42."))
                .prop("url", Schema.nullableString())
                .prop("syncedAt", SharedSchemas.nullableTimestamp("Last sync_external_task for this task."))
                .prop("createdAt", SharedSchemas.timestamp("When the link was made."))
                .prop("updatedAt", SharedSchemas.timestamp("Last change of the link."));
    }

    public static Schema systemArg() {
        return Schema.string().pattern(SYSTEM_PATTERN)
                .description("External tracker name in lower case, e.g. github, jira, linear, gitlab.");
    }

    /**
     * ref and url are identifier-shaped (no whitespace; the external id is plain ASCII by its pattern), so they stay
     * plain strings that agents can compare, not untrusted-text envelopes; what could hide or reorder text in them is
     * still removed, as in every envelope.
     */
    private static String visible(String value) {
        return value == null ? null : UntrustedText.strip(value);
    }

    public static Schema externalIdArg() {
        return Schema.string().pattern(EXTERNAL_ID_PATTERN).description("The task's id in the external tracker.");
    }

    public static Schema refArg() {
        return Schema.string().minLength(1).maxLength(200).pattern("^[^\\s]+$")
                .description("Short human reference, e.g. acme/web#42 or PROJ-17.");
    }

    public static Schema urlArg() {
        return Schema.string().maxLength(2000).pattern("^https?://[^\\s]+$").description("Link to the external task.");
    }
}
