package com.backlogmcp.backlog.items;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.Arguments;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code update_items}: up to {@value #MAX_ITEMS} update_item changes in one call, all or nothing. Each change is
 * applied exactly as update_item applies it (same checks, same history entries per item), in one transaction: the
 * first change that fails names its position ({@code items[i]}) and nothing of the call is kept.
 */
@Singleton
final class UpdateItemsTool implements ToolHandler {

    static final int MAX_ITEMS = 50;

    private static final ToolDefinition DEFINITION = ToolDefinition.write("update_items", "Update several items", "items",
            Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Applies up to 50 item changes at once, all or nothing: each entry of items takes the arguments of \
            update_item (id plus the fields to change, expectedVersion optional). If any entry fails, nothing is \
            changed and the error names the entry (items[i]). Each item may appear once. Returns the updated items \
            in the order given.""",
            Schema.object()
                    .prop("items", Schema.array(UpdateItemTool.change()).minItems(1).maxItems(MAX_ITEMS)
                            .description("The changes, one per item."))
                    .prop("verbose", SharedSchemas.verbose())
                    .required("items"),
            Schema.object()
                    .prop("items", Schema.array(ItemView.schema()))
                    .prop("updated", Schema.integer().minimum(0).description("How many items were in the call."))
                    .required("items", "updated"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        JsonNode entries = call.args().raw("items");
        Set<String> seen = new HashSet<>();
        List<Map<String, Object>> updated = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ObjectNode entry = ((ObjectNode) entries.get(i)).deepCopy();
            String where = "items[" + i + "]";
            if (!seen.add(entry.path("id").asText())) {
                throw ToolFailure.invalid(where + ".id", "the item " + entry.path("id").asText() + " appears more than once");
            }
            if (call.args().has("verbose")) {
                entry.set("verbose", call.args().raw("verbose"));
            }
            ToolCall one = new ToolCall(call.projectId(), call.userId(), call.role(), new Arguments(entry), call.sql());
            try {
                updated.add(UpdateItemTool.apply(one));
            } catch (ToolFailure f) {
                throw f.at(where);
            }
            call.changed(one.changedUris().toArray(String[]::new));
        }
        return Map.of("items", updated, "updated", updated.size());
    }
}
