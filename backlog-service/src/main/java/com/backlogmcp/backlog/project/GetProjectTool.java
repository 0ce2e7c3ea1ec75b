package com.backlogmcp.backlog.project;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class GetProjectTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.read("get_project", "Get the project", "project",
            Scope.BACKLOG_READ, Role.VIEWER,
            """
            Returns this project's overview: name, workspace and plan, the project's names for the status \
            categories (open, planned, in_progress, done, cancelled) with live item counts, and the active release. \
            A good first call to orient yourself. Takes no arguments. Returns the project under "project".""",
            Schema.object(),
            Schema.object().prop("project", ProjectOverview.schema()).required("project"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        return Map.of("project", ProjectOverview.of(call.sql(), call.projectId()));
    }
}
