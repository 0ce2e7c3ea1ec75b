package com.backlogmcp.backlog.widget;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class UpdateWidgetConfigTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("update_widget_config",
            "Replace the widget config", "widget", Scope.WIDGET_WRITE, Role.ADMIN,
            ToolDefinition.Hints.DESTRUCTIVE,
            """
            Replaces the feedback widget's whole configuration document with config, which must match the \
            published widget schema (the input schema below). Fields you leave out are dropped, so start from \
            get_widget_config. Pass expectedVersion to fail with CONFLICT if someone changed it meanwhile. The \
            same document twice changes nothing. Returns "widget" with the stored config and its new version.""",
            Schema.object()
                    .prop("config", WidgetConfigSchema.schema())
                    .prop("expectedVersion", Schema.integer().minimum(0)
                            .description("Only replace if the stored version is still this (0 = never saved)."))
                    .required("config"),
            Schema.object().prop("widget", WidgetConfigs.schema()).required("widget"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var sql = call.sql();
        String projectId = call.projectId();
        Map<String, Object> config = Json.map(call.args().raw("config"));
        sql.update("INSERT INTO widget_configs (project_id, config, version, updated_by) VALUES (?, ?, 0, ?)"
                + " ON CONFLICT (project_id) DO NOTHING", projectId, Json.document(Map.of()), call.userId());
        long current = sql.one("SELECT version FROM widget_configs WHERE project_id = ? FOR UPDATE",
                rs -> rs.getLong(1), projectId).orElseThrow();
        Long expected = call.args().optionalLong("expectedVersion");
        if (expected != null && expected != current) {
            throw ToolFailure.conflict("The widget config is at version " + current + ", not " + expected + ".",
                    "Call get_widget_config, re-apply your change, and retry with the new version.");
        }
        int changed = sql.update("""
                UPDATE widget_configs SET config = ?, version = version + 1, updated_by = ?, updated_at = now()
                 WHERE project_id = ? AND (config IS DISTINCT FROM ?::jsonb OR version = 0)""",
                Json.document(config), call.userId(), projectId, Json.write(config));
        if (changed > 0) {
            call.changed("backlog://projects/" + projectId);
        }
        return Map.of("widget", WidgetConfigs.current(sql, projectId));
    }
}
