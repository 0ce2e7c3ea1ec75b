package com.backlogmcp.backlog.releases;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.time.LocalDate;
import java.util.Map;

@Singleton
final class CreateReleaseTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("create_release", "Create a release",
            "releases", Scope.BACKLOG_WRITE, Role.MEMBER, ToolDefinition.Hints.ADDITIVE,
            """
            Creates a release (a named milestone such as "v2.3") with an optional target date and notes, and can \
            schedule items into it at once with itemIds (an item belongs to one release at a time, so this moves \
            it). Each call creates a new release. Returns it under "release".""",
            Schema.object()
                    .prop("name", Schema.string().minLength(1).maxLength(200).description("Release name, e.g. v2.3."))
                    .prop("description", Schema.string().maxLength(20_000).description("Release notes in markdown."))
                    .prop("status", Schema.enumOf(ReleaseStore.STATUSES).defaultValue("planned"))
                    .prop("targetDate", Schema.string().format("date").description("Planned date, YYYY-MM-DD."))
                    .prop("itemIds", ReleaseStore.itemIds("Items to schedule into the release."))
                    .required("name"),
            Schema.object().prop("release", ReleaseStore.schema()).required("release"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var a = call.args();
        String id = Ids.next("rel");
        String status = a.text("status") != null ? a.text("status") : "planned";
        call.sql().update("""
                INSERT INTO releases (id, project_id, name, description, status, target_date, released_at)
                VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? = 'released' THEN now() END)""",
                id, call.projectId(), a.requiredText("name"), a.text("description"), status,
                a.has("targetDate") ? LocalDate.parse(a.text("targetDate")) : null, status);
        ReleaseStore.assign(call, id, a.strings("itemIds"), null);
        return ReleaseStore.changedResult(call, id);
    }
}
