package com.backlogmcp.backlog.widget;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class GetWidgetConfigTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.read("get_widget_config", "Get the widget config",
            "widget", Scope.WIDGET_READ, Role.VIEWER,
            """
            Returns the configuration document of the project's feedback widget (enabled, position, colour, \
            greeting, allowed origins, item types end users may submit) and its version. Read it before \
            update_widget_config, which replaces the whole document. Returns "widget" with "config" and "version".""",
            Schema.object(),
            Schema.object().prop("widget", WidgetConfigs.schema()).required("widget"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        return Map.of("widget", WidgetConfigs.current(call.sql(), call.projectId()));
    }
}
