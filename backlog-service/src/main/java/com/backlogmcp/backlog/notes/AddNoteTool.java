package com.backlogmcp.backlog.notes;

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
final class AddNoteTool implements ToolHandler {

    private static final ToolDefinition DEFINITION = ToolDefinition.write("add_note", "Add an internal note", "notes",
            Scope.NOTES_WRITE, Role.MEMBER, ToolDefinition.Hints.ADDITIVE,
            "Adds an internal team note to an item as the acting user. Notes are never shown to end users; use add_comment to talk to them. Each call adds a new note. Returns the note under \"note\".",
            ItemPosts.addInput("The note"),
            Schema.object().prop("note", ItemPosts.rowSchema("Note")).required("note"));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        return Map.of("note", ItemPosts.add(call, ItemPosts.Kind.NOTE));
    }
}
