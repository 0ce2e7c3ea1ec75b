package com.backlogmcp.backlog.sync;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.items.Item;
import com.backlogmcp.backlog.items.ItemStore;
import com.backlogmcp.backlog.items.ItemView;
import com.backlogmcp.backlog.items.MappingStore;
import com.backlogmcp.backlog.items.ProjectStatuses;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

@Singleton
final class SyncExternalTaskTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("sync_external_task",
            "Sync an external task", "sync", Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Creates or refreshes the backlog item that mirrors a task of an external tracker, keyed by system + \
            externalId: the first call creates the item and the link, later calls update the given fields of the \
            same item. Calling it again with the same arguments changes nothing (safe to retry or to run on every \
            webhook). Fields you leave out keep their values. Returns "item", "mapping", "created" (a new item was \
            made) and "changed" (the item's fields changed).""",
            Schema.object()
                    .prop("system", MappingStore.systemArg())
                    .prop("externalId", MappingStore.externalIdArg())
                    .prop("title", Schema.string().minLength(1).maxLength(SharedSchemas.TITLE_MAX)
                            .description("The external task's title, at most " + SharedSchemas.TITLE_MAX + " characters."))
                    .prop("description", Schema.string().maxLength(SharedSchemas.DESCRIPTION_MAX).description("Markdown body."))
                    .prop("type", Schema.enumOf(Item.TYPES).description("Item type; task when the item is created without one."))
                    .prop("status", Schema.enumOf(Item.STATUSES))
                    .prop("priority", Schema.enumOf(Item.PRIORITIES))
                    .prop("ref", MappingStore.refArg())
                    .prop("url", MappingStore.urlArg())
                    .prop("verbose", SharedSchemas.verbose())
                    .required("system", "externalId", "title"),
            Schema.object()
                    .prop("item", ItemView.schema())
                    .prop("mapping", MappingStore.schema())
                    .prop("created", Schema.bool())
                    .prop("changed", Schema.bool())
                    .required("item", "mapping", "created", "changed"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        var sql = call.sql();
        String projectId = call.projectId();
        String system = a.requiredText("system");
        String externalId = a.requiredText("externalId");
        // Two syncs of the same task at once must not both create an item: serialise on the task's key.
        sql.one("SELECT pg_advisory_xact_lock(hashtextextended(? || '|' || ? || '|' || ?, 0))", rs -> 1,
                projectId, system, externalId);

        Optional<Map<String, Object>> existing = MappingStore.find(sql, projectId, system, externalId);
        boolean created = existing.isEmpty();
        boolean changed;
        Item item;
        if (created) {
            item = ItemStore.insert(sql, projectId, new ItemStore.NewItem(
                    a.text("type") != null ? a.text("type") : "task", a.requiredText("title"), a.text("description"),
                    a.text("status") != null ? a.text("status") : "open",
                    a.text("priority") != null ? a.text("priority") : "medium",
                    null, null, null, null, null, call.userId()));
            sql.update("""
                    INSERT INTO external_mappings (id, project_id, item_id, system, external_id, ref, url, synced_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, now())""",
                    Ids.next("map"), projectId, item.id(), system, externalId, a.text("ref"), a.text("url"));
            changed = true;
        } else {
            String itemId = (String) existing.get().get("itemId");
            Item before = ItemStore.require(sql, projectId, itemId);
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put("title", a.text("title"));
            for (String field : new String[]{"description", "type", "status", "priority"}) {
                if (a.has(field)) {
                    columns.put(field, a.text(field));
                }
            }
            // The database leaves version and updated_at alone when no value actually differs.
            item = ItemStore.update(sql, projectId, itemId, columns, null).orElseThrow();
            changed = item.version() != before.version();
            sql.update("""
                    UPDATE external_mappings SET ref = coalesce(?, ref), url = coalesce(?, url), synced_at = now(),
                           updated_at = CASE WHEN ref IS DISTINCT FROM coalesce(?, ref) OR url IS DISTINCT FROM coalesce(?, url)
                                             THEN now() ELSE updated_at END
                     WHERE project_id = ? AND system = ? AND external_id = ?""",
                    a.text("ref"), a.text("url"), a.text("ref"), a.text("url"), projectId, system, externalId);
        }
        if (changed) {
            call.changed(item.uri(), "backlog://projects/" + projectId + "/items",
                    "backlog://projects/" + projectId + "/task-mappings");
        }
        Map<String, Object> mapping = MappingStore.find(sql, projectId, system, externalId).orElseThrow();
        return ResultMaps.of(
                "item", call.shape(ItemView.full(item, ProjectStatuses.names(sql, projectId)), ItemView.COMPACT),
                "mapping", mapping,
                "created", created,
                "changed", changed);
    }
}
