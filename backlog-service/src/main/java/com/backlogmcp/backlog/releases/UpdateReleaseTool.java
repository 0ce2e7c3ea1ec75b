package com.backlogmcp.backlog.releases;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Singleton
final class UpdateReleaseTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("update_release", "Update a release",
            "releases", Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Changes a release: name, notes, status (setting released records releasedAt), target date (null to \
            clear), and its items with addItemIds / removeItemIds. Fields you leave out stay. If any item id is not \
            found nothing is changed. Returns the release under "release".""",
            Schema.object()
                    .prop("id", SharedSchemas.id("The release id (rel_…)."))
                    .prop("name", Schema.string().minLength(1).maxLength(200))
                    .prop("description", Schema.nullable(Schema.string().maxLength(20_000)))
                    .prop("status", Schema.enumOf(ReleaseStore.STATUSES))
                    .prop("targetDate", Schema.nullable(Schema.string().format("date")))
                    .prop("addItemIds", ReleaseStore.itemIds("Items to schedule into the release."))
                    .prop("removeItemIds", ReleaseStore.itemIds("Items to take out of the release."))
                    .required("id"),
            Schema.object().prop("release", ReleaseStore.schema()).required("release"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        String id = a.requiredText("id");
        ReleaseStore.require(call.sql(), call.projectId(), id);
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (a.has("name")) {
            sets.add("name = ?");
            params.add(a.text("name"));
        }
        if (a.has("description")) {
            sets.add("description = ?");
            params.add(a.text("description"));
        }
        if (a.has("targetDate")) {
            sets.add("target_date = ?");
            params.add(a.isNull("targetDate") ? null : LocalDate.parse(a.text("targetDate")));
        }
        if (a.has("status")) {
            sets.add("released_at = CASE WHEN ? = 'released' THEN coalesce(released_at, now()) END");
            params.add(a.text("status"));
            sets.add("status = ?");
            params.add(a.text("status"));
        }
        if (!sets.isEmpty()) {
            params.add(call.projectId());
            params.add(id);
            call.sql().update("UPDATE releases SET " + String.join(", ", sets) + ", updated_at = now()"
                    + " WHERE project_id = ? AND id = ?", params.toArray());
        }
        ReleaseStore.assign(call, id, a.strings("addItemIds"), a.strings("removeItemIds"));
        return ReleaseStore.changedResult(call, id);
    }
}
