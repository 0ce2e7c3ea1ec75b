package com.backlogmcp.backlog.announcements;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class SendAnnouncementTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("send_announcement", "Send an announcement",
            "announcements", Scope.ANNOUNCEMENTS_WRITE, Role.ADMIN, ToolDefinition.Hints.ADDITIVE,
            """
            Publishes an announcement to everyone following this project (end users included), as the acting \
            user. It cannot be unsent: confirm the text with the user first. Each call sends a new announcement. \
            Returns it under "announcement".""",
            Schema.object()
                    .prop("title", Schema.string().minLength(1).maxLength(Announcements.TITLE_MAX)
                            .description("Headline, at most " + Announcements.TITLE_MAX + " characters."))
                    .prop("body", Schema.string().minLength(1).maxLength(SharedSchemas.BODY_MAX)
                            .description("Markdown body, at most " + SharedSchemas.BODY_MAX + " characters."))
                    .required("title", "body"),
            Schema.object().prop("announcement", Announcements.schema()).required("announcement"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        Map<String, Object> row = call.sql().one("""
                INSERT INTO announcements (id, project_id, title, body, author_id) VALUES (?, ?, ?, ?, ?)
                RETURNING id, title, body, author_id, created_at""", Announcements::row,
                Ids.next("ann"), call.projectId(), call.args().requiredText("title"), call.args().requiredText("body"),
                call.userId()).orElseThrow();
        row.put("createdAt", ResultMaps.time((java.time.Instant) row.get("createdAt")));
        call.changed("backlog://projects/" + call.projectId());
        return Map.of("announcement", row);
    }
}
