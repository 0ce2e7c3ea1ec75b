package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class CreateItemTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("create_item", "Create an item", "items",
            Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.ADDITIVE,
            """
            Creates a backlog item (bug report, feature request, task, …) in this project. Search first to avoid \
            duplicates. Only title is required; type defaults to task, status to open, priority to medium. \
            assigneeId and ownerIds must be project members (see list_members); parentId makes it a subtask of \
            another item; releaseId schedules it. Each call creates a new item. Returns the new item under "item" \
            (compact unless verbose).""",
            Schema.object()
                    .prop("title", ItemArguments.title())
                    .prop("type", Schema.enumOf(Item.TYPES).defaultValue("task"))
                    .prop("description", ItemArguments.description())
                    .prop("status", Schema.enumOf(Item.STATUSES).defaultValue("open"))
                    .prop("priority", Schema.enumOf(Item.PRIORITIES).defaultValue("medium"))
                    .prop("assigneeId", SharedSchemas.userId("User id of the member to assign."))
                    .prop("ownerIds", ItemArguments.userIds("User ids of the owning members."))
                    .prop("labels", ItemArguments.labels("Labels to attach."))
                    .prop("parentId", SharedSchemas.id("Parent item id (itm_…) to create a subtask."))
                    .prop("releaseId", SharedSchemas.id("Release id (rel_…) to schedule the item in."))
                    .prop("verbose", SharedSchemas.verbose())
                    .required("title"),
            Schema.object().prop("item", ItemView.schema()).required("item"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        var sql = call.sql();
        String projectId = call.projectId();
        ItemStore.requirePeopleAreMembers(sql, projectId, a);
        if (a.text("parentId") != null) {
            ItemStore.require(sql, projectId, a.text("parentId"));
        }
        ItemStore.requireRelease(sql, projectId, a.text("releaseId"));
        Item item = ItemStore.insert(sql, projectId, new ItemStore.NewItem(
                orDefault(a.text("type"), "task"), a.requiredText("title"), a.text("description"),
                orDefault(a.text("status"), "open"), orDefault(a.text("priority"), "medium"), a.text("assigneeId"),
                a.strings("ownerIds"), a.strings("labels"), a.text("parentId"), a.text("releaseId"), call.userId()));
        call.changed(item.uri(), "backlog://projects/" + projectId + "/items", "backlog://projects/" + projectId);
        if (item.parentId() != null) {
            call.changed("backlog://items/" + item.parentId());
        }
        return Map.of("item", call.shape(ItemView.full(item, ProjectStatuses.names(sql, projectId)), ItemView.COMPACT));
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
