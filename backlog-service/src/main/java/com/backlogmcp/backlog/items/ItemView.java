package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;

import java.util.List;
import java.util.Map;

/** How an item looks in results: every field for verbose, a compact subset by default. */
public final class ItemView {

    public static final List<String> FIELDS = List.of("id", "number", "type", "title", "description", "status",
            "statusName", "priority", "assigneeId", "ownerIds", "labels", "parentId", "releaseId", "reporterId",
            "completedAt", "createdAt", "updatedAt", "version", "uri");
    public static final List<String> COMPACT = List.of("id", "number", "type", "title", "status", "priority",
            "assigneeId", "labels", "updatedAt");

    private ItemView() {
    }

    public static Map<String, Object> full(Item item, Map<String, String> statusNames) {
        return ResultMaps.of(
                "id", item.id(),
                "number", item.number(),
                "type", item.type(),
                "title", UntrustedText.wrap(item.title()),
                "description", UntrustedText.wrap(item.description()),
                "status", item.status(),
                "statusName", statusNames.getOrDefault(item.status(), item.status()),
                "priority", item.priority(),
                "assigneeId", item.assigneeId(),
                "ownerIds", item.ownerIds(),
                "labels", item.labels(),
                "parentId", item.parentId(),
                "releaseId", item.releaseId(),
                "reporterId", item.reporterId(),
                "completedAt", ResultMaps.time(item.completedAt()),
                "createdAt", ResultMaps.time(item.createdAt()),
                "updatedAt", ResultMaps.time(item.updatedAt()),
                "version", item.version(),
                "uri", item.uri());
    }

    /** The item row schema; no key is required because compact, verbose and fields choose different keys. */
    public static Schema schema() {
        return Schema.object()
                .prop("id", Schema.string().description("Item id (itm_…)."))
                .prop("number", Schema.integer().description("Per-project item number, as people say \"#12\"."))
                .prop("type", Schema.enumOf(Item.TYPES))
                .prop("title", SharedSchemas.untrusted("Title"))
                .prop("description", SharedSchemas.nullableUntrusted("Markdown description"))
                .prop("status", Schema.enumOf(Item.STATUSES).description("Status category."))
                .prop("statusName", Schema.string().description("The project's own name for the status."))
                .prop("priority", Schema.enumOf(Item.PRIORITIES))
                .prop("assigneeId", Schema.nullableString().description("User id of the assignee."))
                .prop("ownerIds", Schema.array(Schema.string()).description("User ids of the owners."))
                .prop("labels", Schema.array(Schema.string()))
                .prop("parentId", Schema.nullableString().description("Parent item id, when this is a subtask."))
                .prop("releaseId", Schema.nullableString())
                .prop("reporterId", Schema.nullableString())
                .prop("completedAt", SharedSchemas.nullableTimestamp("When the item became done."))
                .prop("createdAt", SharedSchemas.timestamp("Creation time."))
                .prop("updatedAt", SharedSchemas.timestamp("Last change."))
                .prop("version", Schema.integer().description("Pass as expectedVersion to update_item for optimistic locking."))
                .prop("uri", Schema.string().description("Resource URI of the item."));
    }
}
