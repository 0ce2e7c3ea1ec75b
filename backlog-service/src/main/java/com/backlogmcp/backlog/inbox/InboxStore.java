package com.backlogmcp.backlog.inbox;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.backlog.support.UntrustedText;
import com.backlogmcp.backlog.support.ResultMaps;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.support.ToolFailure;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The private inbox: conversations with end users and their messages. */
final class InboxStore {

    static final List<String> FIELDS = List.of("id", "subject", "requesterName", "requesterEmail", "status",
            "messageCount", "lastMessageAt", "createdAt", "updatedAt", "closedAt");
    static final List<String> COMPACT = List.of("id", "subject", "requesterName", "status", "messageCount",
            "lastMessageAt");

    static final String CONVERSATION = """
            SELECT c.id, c.subject, c.requester_name, c.requester_email, c.status, c.closed_at, c.created_at, c.updated_at,
                   (SELECT count(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS message_count,
                   (SELECT max(created_at) FROM conversation_messages m WHERE m.conversation_id = c.id) AS last_message_at
              FROM conversations c""";

    private InboxStore() {
    }

    static Map<String, Object> conversation(ResultSet rs) throws SQLException {
        return ResultMaps.of("id", rs.getString("id"), "subject", UntrustedText.wrap(rs.getString("subject")),
                "requesterName", UntrustedText.wrap(rs.getString("requester_name")),
                "requesterEmail", rs.getString("requester_email"), "status", rs.getString("status"),
                "messageCount", rs.getLong("message_count"),
                "lastMessageAt", ResultMaps.time(ConnectionQueries.instant(rs, "last_message_at")),
                "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")),
                "updatedAt", ResultMaps.time(ConnectionQueries.instant(rs, "updated_at")),
                "closedAt", ResultMaps.time(ConnectionQueries.instant(rs, "closed_at")));
    }

    static Map<String, Object> require(ConnectionQueries sql, String projectId, String id) {
        return sql.one(CONVERSATION + " WHERE c.project_id = ? AND c.id = ?", InboxStore::conversation, projectId, id)
                .orElseThrow(() -> ToolFailure.notFound("conversation", id));
    }

    /** The "id" argument of a conversation tool, checked to name a conversation of the project. */
    static String requireArgument(ToolCall call) {
        String id = call.args().requiredText("id");
        require(call.sql(), call.projectId(), id);
        return id;
    }

    /** The conversation as the write tools return it: read again after the change, in the caller's shape. */
    static Map<String, Object> compactView(ToolCall call, String id) {
        return call.shape(require(call.sql(), call.projectId(), id), COMPACT);
    }

    static List<Map<String, Object>> messages(ConnectionQueries sql, String conversationId, int limit) {
        // The latest messages, shown oldest first.
        return sql.list("""
                SELECT * FROM (SELECT id, author_kind, author_id, body, created_at FROM conversation_messages
                                WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?) m
                 ORDER BY created_at, id""",
                InboxStore::message, conversationId, limit);
    }

    static Map<String, Object> message(ResultSet rs) throws SQLException {
        return ResultMaps.of("id", rs.getString("id"), "authorKind", rs.getString("author_kind"),
                "authorId", rs.getString("author_id"), "body", UntrustedText.wrap(rs.getString("body")),
                "createdAt", ResultMaps.time(ConnectionQueries.instant(rs, "created_at")));
    }

    static Schema conversationSchema() {
        return Schema.object()
                .prop("id", Schema.string().description("Conversation id (conv_…)."))
                .prop("subject", SharedSchemas.untrusted("Subject"))
                .prop("requesterName", SharedSchemas.nullableUntrusted("Name the end user gave"))
                .prop("requesterEmail", Schema.nullableString())
                .prop("status", Schema.enumOf("open", "closed"))
                .prop("messageCount", Schema.integer())
                .prop("lastMessageAt", SharedSchemas.nullableTimestamp("Time of the latest message."))
                .prop("createdAt", SharedSchemas.timestamp("Start of the conversation."))
                .prop("updatedAt", SharedSchemas.timestamp("Last activity."))
                .prop("closedAt", SharedSchemas.nullableTimestamp("When it was closed."));
    }

    static Schema messageSchema() {
        return Schema.object()
                .prop("id", Schema.string())
                .prop("authorKind", Schema.enumOf("requester", "team").description("requester = the end user."))
                .prop("authorId", Schema.nullableString().description("User id for team messages."))
                .prop("body", SharedSchemas.untrusted("Message"))
                .prop("createdAt", SharedSchemas.timestamp("When it was sent."));
    }
}
