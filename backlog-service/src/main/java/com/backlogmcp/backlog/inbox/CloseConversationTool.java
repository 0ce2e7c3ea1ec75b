package com.backlogmcp.backlog.inbox;

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
final class CloseConversationTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("close_conversation",
            "Close a conversation", "inbox", Scope.INBOX_WRITE, Role.MEMBER, ToolDefinition.Hints.IDEMPOTENT_WRITE,
            """
            Marks an inbox conversation as closed (handled). Closing an already closed conversation changes \
            nothing; a later reply from either side reopens it. Returns the conversation under "conversation".""",
            Schema.object()
                    .prop("id", SharedSchemas.id("The conversation id (conv_…)."))
                    .required("id"),
            Schema.object().prop("conversation", InboxStore.conversationSchema()).required("conversation"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var sql = call.sql();
        String id = InboxStore.requireArgument(call);
        sql.update("""
                UPDATE conversations SET status = 'closed', closed_at = now(), updated_at = now()
                 WHERE project_id = ? AND id = ? AND status <> 'closed'""", call.projectId(), id);
        return Map.of("conversation", InboxStore.compactView(call, id));
    }
}
