package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Singleton
final class UpdateItemTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("update_item", "Update an item", "items",
            Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Changes some fields of one item; fields you leave out stay as they are, and changes made by others at \
            the same time to other fields are kept. Setting status to done records completedAt; moving it out of \
            done clears it. Use null to clear description, assigneeId, parentId or releaseId. labels replaces all \
            labels; addLabels/removeLabels edit them without overwriting concurrent label changes. Pass \
            expectedVersion (from get_item) to fail with CONFLICT instead of overwriting a change you have not \
            seen. Returns the updated item under "item".""",
            change().prop("verbose", SharedSchemas.verbose()),
            Schema.object().prop("item", ItemView.schema()).required("item"));

    /** One item's change: the arguments of update_item, and of each entry of update_items. */
    static Schema change() {
        return Schema.object()
                    .prop("id", SharedSchemas.id("The item id (itm_…)."))
                    .prop("expectedVersion", Schema.integer().minimum(1)
                            .description("Only update if the item is still at this version."))
                    .prop("title", ItemArguments.title())
                    .prop("type", Schema.enumOf(Item.TYPES))
                    .prop("description", Schema.nullable(ItemArguments.description()))
                    .prop("status", Schema.enumOf(Item.STATUSES))
                    .prop("priority", Schema.enumOf(Item.PRIORITIES))
                    .prop("assigneeId", Schema.nullable(SharedSchemas.userId("User id of the member to assign; null to unassign.")))
                    .prop("ownerIds", ItemArguments.userIds("Replaces the owners."))
                    .prop("labels", ItemArguments.labels("Replaces all labels."))
                    .prop("addLabels", ItemArguments.labels("Labels to add."))
                    .prop("removeLabels", ItemArguments.labels("Labels to remove."))
                    .prop("parentId", Schema.nullable(SharedSchemas.id("New parent item id; null to detach.")))
                    .prop("releaseId", Schema.nullable(SharedSchemas.id("Release id; null to unschedule.")))
                    .required("id");
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        return Map.of("item", apply(call));
    }

    /** Applies the change in {@code call}'s arguments to its item; answers the item as the caller asked to see it. */
    static Map<String, Object> apply(ToolCall call) {
        var a = call.args();
        var sql = call.sql();
        String projectId = call.projectId();
        String id = a.requiredText("id");
        Item before = ItemStore.require(sql, projectId, id);
        if (a.has("labels") && (a.has("addLabels") || a.has("removeLabels"))) {
            throw ToolFailure.invalid("labels", "cannot be combined with addLabels or removeLabels");
        }
        ItemStore.requirePeopleAreMembers(sql, projectId, a);
        if (a.text("parentId") != null) {
            ItemStore.require(sql, projectId, a.text("parentId"));
            requireNoCycle(call, id, a.text("parentId"));
        }
        ItemStore.requireRelease(sql, projectId, a.text("releaseId"));

        Map<String, Object> columns = new LinkedHashMap<>();
        copy(a, "title", "title", columns);
        copy(a, "type", "type", columns);
        copy(a, "description", "description", columns);
        copy(a, "status", "status", columns);
        copy(a, "priority", "priority", columns);
        copy(a, "assigneeId", "assignee_id", columns);
        copy(a, "parentId", "parent_id", columns);
        copy(a, "releaseId", "release_id", columns);
        if (a.has("ownerIds")) {
            columns.put("owner_ids", a.strings("ownerIds"));
        }
        if (a.has("labels")) {
            columns.put("labels", a.strings("labels"));
        }
        if (a.has("addLabels") || a.has("removeLabels")) {
            columns.put("labels", new ItemStore.LabelEdit(
                    a.has("addLabels") ? a.strings("addLabels") : List.of(),
                    a.has("removeLabels") ? a.strings("removeLabels") : List.of()));
        }
        Long expected = a.optionalLong("expectedVersion");
        Item after;
        if (columns.isEmpty()) {
            if (expected != null && expected != before.version()) {
                throw staleVersion(id, before.version());
            }
            after = before;
        } else {
            after = ItemStore.update(sql, projectId, id, columns, expected).orElseThrow(() ->
                    staleVersion(id, ItemStore.require(sql, projectId, id).version()));
        }
        if (after.version() != before.version()) {
            call.changed(after.uri(), "backlog://projects/" + projectId + "/items", "backlog://projects/" + projectId);
            for (String parent : new String[]{before.parentId(), after.parentId()}) {
                if (parent != null) {
                    call.changed("backlog://items/" + parent);
                }
            }
        }
        return call.shape(ItemView.full(after, ProjectStatuses.names(sql, projectId)), ItemView.COMPACT);
    }

    private static ToolFailure staleVersion(String id, long current) {
        return ToolFailure.conflict("The item changed since expectedVersion; it is now at version " + current + ".",
                "Call get_item to see the current values, then retry with expectedVersion " + current + ".")
                .next("get_item", Map.of("id", id), "Call get_item to see the current values, then retry with expectedVersion " + current + ".");
    }

    /** An item cannot become its own ancestor. */
    private static void requireNoCycle(ToolCall call, String id, String newParent) {
        boolean cycle = call.sql().one("""
                WITH RECURSIVE up(id, parent_id, depth) AS (
                    SELECT id, parent_id, 1 FROM items WHERE project_id = ? AND id = ?
                    UNION ALL
                    SELECT i.id, i.parent_id, up.depth + 1 FROM items i JOIN up ON i.id = up.parent_id WHERE up.depth < 100
                )
                SELECT exists(SELECT 1 FROM up WHERE id = ?)""", rs -> rs.getBoolean(1),
                call.projectId(), newParent, id).orElse(false);
        if (cycle) {
            throw ToolFailure.invalid("parentId", "would make the item its own ancestor");
        }
    }

    private static void copy(com.backlogmcp.backlog.tools.Arguments a, String arg, String column,
                             Map<String, Object> columns) {
        if (a.has(arg)) {
            columns.put(column, a.text(arg));
        }
    }
}
