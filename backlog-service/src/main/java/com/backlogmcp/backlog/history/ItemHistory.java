package com.backlogmcp.backlog.history;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads of the append-only change log ({@code item_history}, written by database triggers). One change is one
 * field of one item (or its creation, or a comment added), with the values before and after, the acting user,
 * the client they acted through and the time.
 */
public final class ItemHistory {

    /** Fields whose values users wrote: shown in the untrusted envelope like everywhere else. */
    private static final List<String> USER_TEXT = List.of("title", "description");

    static final String SELECT = """
            SELECT h.seq, h.project_id, h.item_id, h.field, h.old_value::text AS old_value,
                   h.new_value::text AS new_value, h.actor_id, h.client_id, h.changed_at,
                   i.number AS item_number, i.title AS item_title, m.display_name AS actor_name
              FROM item_history h
              LEFT JOIN items i ON i.id = h.item_id
              LEFT JOIN members m ON m.project_id = h.project_id AND m.user_id = h.actor_id
            """;

    private ItemHistory() {
    }

    /** One row of the log as it was read (timestamps still Instants, for the cursor). */
    public record Change(long seq, String projectId, String itemId, Long itemNumber, String itemTitle, String field,
                         Object from, Object to, String actorId, String actorName, String clientId, Instant at) {

        static Change from(ResultSet rs) throws SQLException {
            long number = rs.getLong("item_number");
            Long itemNumber = rs.wasNull() ? null : number;
            return new Change(rs.getLong("seq"), rs.getString("project_id"), rs.getString("item_id"), itemNumber, rs.getString("item_title"), rs.getString("field"),
                    value(rs.getString("field"), rs.getString("old_value")),
                    value(rs.getString("field"), rs.getString("new_value")),
                    rs.getString("actor_id"), rs.getString("actor_name"), rs.getString("client_id"),
                    ConnectionQueries.instant(rs, "changed_at"));
        }

        /** The view of a change within one item's history. */
        public Map<String, Object> view() {
            return ResultMaps.of("seq", seq, "field", field, "from", from, "to", to, "actorId", actorId,
                    "actorName", UntrustedText.wrap(actorName), "clientId", clientId, "at", ResultMaps.time(at));
        }

        /** The view of a change in an activity feed: which item (and project) it belongs to, then the change. */
        public Map<String, Object> activityView() {
            Map<String, Object> out = ResultMaps.of("projectId", projectId, "itemId", itemId, "itemNumber", itemNumber,
                    "itemTitle", UntrustedText.wrap(itemTitle));
            out.putAll(view());
            return out;
        }
    }

    public static Schema changeSchema() {
        return Schema.object()
                .prop("seq", Schema.integer().description("Position in the log; later changes have larger numbers."))
                .prop("field", Schema.string().description("The field that changed (title, status, assigneeId, "
                        + "labels, …), or \"created\" for the item's creation, or \"comment\" for a comment added."))
                .prop("from", Schema.any().description("The value before; null when unset. Titles and "
                        + "descriptions arrive in the untrusted envelope."))
                .prop("to", Schema.any().description("The value after; for \"comment\" the new comment's id."))
                .prop("actorId", Schema.nullableString().description("User id of who made the change."))
                .prop("actorName", SharedSchemas.nullableUntrusted("The actor's display name in the project"))
                .prop("clientId", Schema.nullableString().description("The client the change came through: an "
                        + "OAuth client id or api_key:<keyId>; null for changes made outside an agent."))
                .prop("at", SharedSchemas.timestamp("When the change was committed."))
                .required("seq", "field", "from", "to", "actorId", "clientId", "at");
    }

    public static Schema activitySchema() {
        return changeSchema()
                .prop("projectId", Schema.string())
                .prop("itemId", Schema.string())
                .prop("itemNumber", Schema.nullable(Schema.integer()).description("The item's number in its project."))
                .prop("itemTitle", SharedSchemas.nullableUntrusted("The item's current title"))
                .required("projectId", "itemId");
    }

    /** One item's changes, newest first, after the change {@code beforeSeq} when paging. */
    public static List<Change> ofItem(ConnectionQueries sql, String projectId, String itemId, Long beforeSeq, int rows) {
        return sql.list(SELECT + " WHERE h.project_id = ? AND h.item_id = ? AND h.seq < ? ORDER BY h.seq DESC LIMIT ?",
                Change::from, projectId, itemId, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, rows);
    }

    /**
     * Changes in the given projects since a time, oldest first, keyset on (changed_at, seq) so a feed can be
     * followed page by page.
     */
    public static List<Change> ofProjects(ConnectionQueries sql, List<String> projectIds, Instant since, Instant afterTime,
                                          long afterSeq, int rows) {
        return sql.list(SELECT + """
                 WHERE h.project_id = ANY(?) AND h.changed_at >= ? AND (h.changed_at, h.seq) > (?, ?)
                 ORDER BY h.changed_at, h.seq LIMIT ?""",
                Change::from, projectIds, since, afterTime, afterSeq, rows);
    }

    private static Object value(String field, String json) {
        if (json == null) {
            return null;
        }
        Object value;
        try {
            value = Json.MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("item_history holds a value that is not JSON", e);
        }
        if (USER_TEXT.contains(field) && value instanceof String text) {
            return UntrustedText.wrap(text);
        }
        if ("created".equals(field) && value instanceof Map<?, ?> created) {
            Map<String, Object> out = new LinkedHashMap<>();
            created.forEach((k, v) -> out.put((String) k, "title".equals(k) && v instanceof String t
                    ? UntrustedText.wrap(t) : v));
            return out;
        }
        return value;
    }
}
