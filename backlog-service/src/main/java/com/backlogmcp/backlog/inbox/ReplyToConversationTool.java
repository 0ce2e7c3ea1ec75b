package com.backlogmcp.backlog.inbox;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Ids;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class ReplyToConversationTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("reply_to_conversation",
            "Reply to a conversation", "inbox", Scope.INBOX_WRITE, Role.MEMBER, ToolDefinition.Hints.ADDITIVE,
            """
            Sends a reply from the team, as the acting user, in an inbox conversation; the end user sees it. \
            Replying to a closed conversation reopens it. Each call sends a new message, so do not retry a call \
            that succeeded. Returns the sent "message" and the updated "conversation".""",
            Schema.object()
                    .prop("id", SharedSchemas.id("The conversation id (conv_…)."))
                    .prop("body", Schema.string().minLength(1).maxLength(SharedSchemas.BODY_MAX)
                            .description("The reply in markdown, at most " + SharedSchemas.BODY_MAX + " characters."))
                    .required("id", "body"),
            Schema.object()
                    .prop("message", InboxStore.messageSchema())
                    .prop("conversation", InboxStore.conversationSchema())
                    .required("message", "conversation"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        var sql = call.sql();
        String id = InboxStore.requireArgument(call);
        Map<String, Object> message = sql.one("""
                INSERT INTO conversation_messages (id, conversation_id, author_kind, author_id, body)
                VALUES (?, ?, 'team', ?, ?) RETURNING id, author_kind, author_id, body, created_at""",
                InboxStore::message, Ids.next("msg"), id, call.userId(), call.args().requiredText("body")).orElseThrow();
        sql.update("UPDATE conversations SET status = 'open', closed_at = NULL, updated_at = now() WHERE project_id = ? AND id = ?",
                call.projectId(), id);
        return Map.of("message", message,
                "conversation", InboxStore.compactView(call, id));
    }
}
