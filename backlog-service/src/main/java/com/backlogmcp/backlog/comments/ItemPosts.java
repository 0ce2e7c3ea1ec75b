package com.backlogmcp.backlog.comments;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.items.ItemStore;
import com.backlogmcp.backlog.support.Cursors;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ListPage;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text posts attached to an item: public comments and internal notes have the same shape and rules, in two
 * tables so a notes:read grant can never read comments' neighbours by accident and search never sees notes.
 */
public final class ItemPosts {

    public enum Kind {
        COMMENT("comments", "cmt", "comments"), NOTE("notes", "note", "notes");

        final String table;
        final String idPrefix;
        final String pluralKey;

        Kind(String table, String idPrefix, String pluralKey) {
            this.table = table;
            this.idPrefix = idPrefix;
            this.pluralKey = pluralKey;
        }
    }

    public static final List<String> FIELDS = List.of("id", "itemId", "authorId", "body", "createdAt");

    private ItemPosts() {
    }

    public static Schema rowSchema(String what) {
        return Schema.object()
                .prop("id", Schema.string())
                .prop("itemId", Schema.string())
                .prop("authorId", Schema.string().description("User id of the author."))
                .prop("body", SharedSchemas.untrusted(what))
                .prop("createdAt", SharedSchemas.timestamp("When it was written."));
    }

    public static Schema listInput() {
        return Schema.object()
                .prop("itemId", SharedSchemas.id("The item (itm_…)."))
                .prop("limit", SharedSchemas.limit())
                .prop("cursor", SharedSchemas.cursor())
                .prop("fields", SharedSchemas.fields(FIELDS))
                .required("itemId");
    }

    public static Schema addInput(String what) {
        return Schema.object()
                .prop("itemId", SharedSchemas.id("The item (itm_…)."))
                .prop("body", Schema.string().minLength(1).maxLength(SharedSchemas.BODY_MAX)
                        .description(what + " in markdown, at most " + SharedSchemas.BODY_MAX + " characters."))
                .required("itemId", "body");
    }

    /** Oldest first, keyset on (created_at, id). */
    public static Map<String, Object> list(ToolCall call, Kind kind) {
        var a = call.args();
        String itemId = a.requiredText("itemId");
        ItemStore.require(call.sql(), call.projectId(), itemId);
        List<Object> params = new ArrayList<>(List.of(call.projectId(), itemId));
        String after = "";
        if (a.has("cursor")) {
            List<String> parts = Cursors.decode(kind.table, a.text("cursor"), 3);
            if (!parts.get(2).equals(itemId)) {
                throw com.backlogmcp.backlog.support.ToolFailure.invalid("cursor", "belongs to another item");
            }
            after = " AND (created_at, id) > (?, ?)";
            params.add(Cursors.micros(parts.get(0)));
            params.add(parts.get(1));
        }
        String keyset = after;
        ListPage<Map<String, Object>> page = ListPage.fetch(a.limit(), params, p -> call.sql().list(
                "SELECT id, item_id, author_id, body, created_at FROM " + kind.table
                        + " WHERE project_id = ? AND item_id = ?" + keyset + " ORDER BY created_at, id LIMIT ?",
                rs -> ResultMaps.of("id", rs.getString("id"), "itemId", rs.getString("item_id"),
                        "authorId", rs.getString("author_id"), "body", UntrustedText.wrap(rs.getString("body")),
                        "createdAt", ConnectionQueries.instant(rs, "created_at")),
                p));
        return page.result(kind.pluralKey, r -> {
            r.put("createdAt", ResultMaps.time((Instant) r.get("createdAt")));
            return call.shape(r, FIELDS);
        }, p -> Cursors.encode(kind.table, ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) p.last().get("createdAt")),
                p.last().get("id"), itemId));
    }

    /**
     * The latest {@code max} public comments of an item in reading order (oldest first), for views that show an
     * item with its discussion; {@link #count} says whether older ones were left out.
     */
    public static List<Map<String, Object>> latestComments(ConnectionQueries sql, String projectId, String itemId, int max) {
        return sql.list("""
                SELECT * FROM (SELECT id, item_id, author_id, body, created_at FROM comments
                                WHERE project_id = ? AND item_id = ? ORDER BY created_at DESC, id DESC LIMIT ?) latest
                 ORDER BY created_at, id""",
                rs -> ResultMaps.of("id", rs.getString("id"), "itemId", rs.getString("item_id"),
                        "authorId", rs.getString("author_id"), "body", UntrustedText.wrap(rs.getString("body")),
                        "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at"))),
                projectId, itemId, max);
    }

    public static long count(ConnectionQueries sql, String projectId, String itemId) {
        return sql.one("SELECT count(*) FROM comments WHERE project_id = ? AND item_id = ?", rs -> rs.getLong(1),
                projectId, itemId).orElse(0L);
    }

    public static Map<String, Object> add(ToolCall call, Kind kind) {
        var a = call.args();
        String itemId = a.requiredText("itemId");
        ItemStore.require(call.sql(), call.projectId(), itemId);
        String id = Ids.next(kind.idPrefix);
        Map<String, Object> row = call.sql().one(
                "INSERT INTO " + kind.table + " (id, project_id, item_id, author_id, body) VALUES (?, ?, ?, ?, ?)"
                        + " RETURNING id, item_id, author_id, body, created_at",
                rs -> ResultMaps.of("id", rs.getString("id"), "itemId", rs.getString("item_id"),
                        "authorId", rs.getString("author_id"), "body", UntrustedText.wrap(rs.getString("body")),
                        "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at"))),
                id, call.projectId(), itemId, call.userId(), a.requiredText("body")).orElseThrow();
        call.changed("backlog://items/" + itemId);
        return row;
    }
}
