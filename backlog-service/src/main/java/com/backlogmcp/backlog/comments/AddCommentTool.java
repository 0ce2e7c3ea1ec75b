package com.backlogmcp.backlog.comments;

import com.backlogmcp.backlog.catalog.Schema;
import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.comments.ItemPosts;
import com.backlogmcp.backlog.tools.ToolCall;
import com.backlogmcp.backlog.tools.ToolHandler;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.Map;

@Singleton
final class AddCommentTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("add_comment", "Add a comment", "comments",
            Scope.COMMENTS_WRITE, Role.MEMBER, ToolDefinition.Hints.ADDITIVE,
            "Posts a public comment on an item as the acting user. Public comments are visible to everyone who can see the item, end users included; use add_note for team-only remarks. Each call adds a new comment. Returns the comment under \"comment\".",
            ItemPosts.addInput("The comment"),
            Schema.object().prop("comment", ItemPosts.rowSchema("Comment")).required("comment"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        return Map.of("comment", ItemPosts.add(call, ItemPosts.Kind.COMMENT));
    }
}
