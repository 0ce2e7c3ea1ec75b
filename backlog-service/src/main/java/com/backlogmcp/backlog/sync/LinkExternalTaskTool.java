package com.backlogmcp.backlog.sync;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.items.ItemStore;
import com.backlogmcp.backlog.items.MappingStore;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class LinkExternalTaskTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("link_external_task",
            "Link an external task", "sync", Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Links an existing backlog item to a task in an external tracker (GitHub issue, Jira ticket, …) so both \
            can be found from each other. Linking the same task to the same item again changes nothing; a task \
            already linked to another item is a CONFLICT. To create or refresh an item from an external task, use \
            sync_external_task instead. Returns the mapping under "mapping".""",
            Schema.object()
                    .prop("itemId", SharedSchemas.id("The item to link (itm_…)."))
                    .prop("system", MappingStore.systemArg())
                    .prop("externalId", MappingStore.externalIdArg())
                    .prop("ref", MappingStore.refArg())
                    .prop("url", MappingStore.urlArg())
                    .required("itemId", "system", "externalId"),
            Schema.object().prop("mapping", MappingStore.schema()).required("mapping"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        var sql = call.sql();
        String itemId = a.requiredText("itemId");
        ItemStore.require(sql, call.projectId(), itemId);
        String system = a.requiredText("system");
        String externalId = a.requiredText("externalId");
        int inserted = sql.update("""
                INSERT INTO external_mappings (id, project_id, item_id, system, external_id, ref, url)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, system, external_id) DO NOTHING""",
                Ids.next("map"), call.projectId(), itemId, system, externalId, a.text("ref"), a.text("url"));
        Map<String, Object> mapping = MappingStore.find(sql, call.projectId(), system, externalId).orElseThrow();
        if (!itemId.equals(mapping.get("itemId"))) {
            throw ToolFailure.conflict(system + " task " + externalId + " is already linked to item "
                    + mapping.get("itemId") + ".", "Use that item, or link a different external task.");
        }
        if (inserted == 0 && (a.has("ref") || a.has("url"))) {
            sql.update("""
                    UPDATE external_mappings SET ref = coalesce(?, ref), url = coalesce(?, url), updated_at = now()
                     WHERE project_id = ? AND system = ? AND external_id = ?
                       AND (ref IS DISTINCT FROM coalesce(?, ref) OR url IS DISTINCT FROM coalesce(?, url))""",
                    a.text("ref"), a.text("url"), call.projectId(), system, externalId, a.text("ref"), a.text("url"));
            mapping = MappingStore.find(sql, call.projectId(), system, externalId).orElseThrow();
        }
        call.changed("backlog://items/" + itemId, "backlog://projects/" + call.projectId() + "/task-mappings");
        return Map.of("mapping", mapping);
    }
}
