package com.backlogmcp.backlog.catalog;

import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.contracts.internal.Catalog;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-registry rules every tool obeys; a new tool that breaks one fails here, not in an agent. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogInvariantsTest implements TestPropertyProvider {

    /** DESIGN §5: tool → scope, minimum role. */
    static final Map<String, List<String>> DESIGN = Map.ofEntries(
            Map.entry("get_project", List.of("backlog:read", "viewer")),
            Map.entry("list_items", List.of("backlog:read", "viewer")),
            Map.entry("get_item", List.of("backlog:read", "viewer")),
            Map.entry("search", List.of("backlog:read", "viewer")),
            Map.entry("create_item", List.of("backlog:write", "member")),
            Map.entry("update_item", List.of("backlog:write", "member")),
            Map.entry("get_item_history", List.of("backlog:read", "viewer")),
            Map.entry("list_activity", List.of("backlog:read", "viewer")),
            Map.entry("list_comments", List.of("comments:read", "viewer")),
            Map.entry("add_comment", List.of("comments:write", "member")),
            Map.entry("list_notes", List.of("notes:read", "member")),
            Map.entry("add_note", List.of("notes:write", "member")),
            Map.entry("list_conversations", List.of("inbox:read", "member")),
            Map.entry("get_conversation", List.of("inbox:read", "member")),
            Map.entry("reply_to_conversation", List.of("inbox:write", "member")),
            Map.entry("close_conversation", List.of("inbox:write", "member")),
            Map.entry("list_announcements", List.of("announcements:read", "viewer")),
            Map.entry("send_announcement", List.of("announcements:write", "admin")),
            Map.entry("get_widget_config", List.of("widget:read", "viewer")),
            Map.entry("update_widget_config", List.of("widget:write", "admin")),
            Map.entry("list_members", List.of("members:read", "viewer")),
            Map.entry("invite_member", List.of("members:write", "admin")),
            Map.entry("update_member_role", List.of("members:write", "admin")),
            Map.entry("remove_member", List.of("members:write", "admin")),
            Map.entry("list_releases", List.of("backlog:read", "viewer")),
            Map.entry("create_release", List.of("backlog:write", "member")),
            Map.entry("update_release", List.of("backlog:write", "member")),
            Map.entry("link_external_task", List.of("backlog:write", "member")),
            Map.entry("sync_external_task", List.of("backlog:write", "member")));

    @Inject
    ToolCatalog catalog;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @Test
    void catalogWhenServedThenHoldsExactlyTheToolsOfTheDesignWithTheirScopeAndRole() {
        Map<String, Object> served = new Internal(client).get("/internal/catalog").body();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools = (List<Map<String, Object>>) served.get("tools");
        assertEquals(DESIGN.keySet(), tools.stream().map(t -> (String) t.get("name")).collect(Collectors.toSet()));
        for (Map<String, Object> t : tools) {
            assertEquals(DESIGN.get(t.get("name")), List.of(t.get("scope"), t.get("minRole")), (String) t.get("name"));
        }
        assertNotNull(served.get("version"));
        assertEquals(4, ((List<?>) served.get("resources")).size());
        assertEquals(1, ((List<?>) served.get("resourceTemplates")).size());
        assertEquals(Set.of("summarise_project_status", "create_issue_from_context", "triage_inbox"),
                ((List<?>) served.get("prompts")).stream().map(p -> ((Map<?, ?>) p).get("name")).collect(Collectors.toSet()));
    }

    @Test
    void toolNamesWhenListedThenUnique() {
        Set<String> seen = new HashSet<>();
        catalog.definitions().forEach(d -> assertTrue(seen.add(d.name()), "duplicate tool " + d.name()));
    }

    @Test
    void hintsWhenReadOnlyThenNeverDestructiveAndWriteToolsNeverReadOnly() {
        for (Catalog.Tool t : catalog.wire().tools()) {
            assertNotNull(t.annotations(), t.name());
            assertFalse(t.annotations().readOnlyHint() && t.annotations().destructiveHint(), t.name());
            assertEquals(!t.write(), t.annotations().readOnlyHint(), t.name() + ": readOnlyHint must mirror write");
            assertFalse(t.annotations().openWorldHint(), t.name() + " only touches this project's data");
        }
    }

    @Test
    void scopesWhenReadToolThenReadScopeAndWhenWriteToolThenWriteScope() {
        for (Catalog.Tool t : catalog.wire().tools()) {
            assertEquals(t.write(), t.scope().endsWith(":write"), t.name() + " uses " + t.scope());
            assertEquals(!t.write(), t.scope().endsWith(":read"), t.name() + " uses " + t.scope());
        }
    }

    @Test
    void toolsetWhenAnyToolThenKnownToolsetAndDescriptionForAnAgent() {
        for (Catalog.Tool t : catalog.wire().tools()) {
            assertTrue(ToolCatalog.TOOLSETS.contains(t.toolset()), t.name());
            assertTrue(t.description().length() >= 120 && t.description().length() <= 1000,
                    t.name() + " description length " + t.description().length());
            assertTrue(t.description().contains("Returns"), t.name() + " description must say what it returns");
            assertNotNull(t.title());
        }
    }

    @Test
    void schemasWhenAnyToolThenValid202012ObjectsWithoutProjectId() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (Catalog.Tool t : catalog.wire().tools()) {
            for (Map<String, Object> schema : List.of(t.inputSchema(), t.outputSchema())) {
                assertEquals(Schema.DIALECT, schema.get("$schema"), t.name());
                assertEquals("object", schema.get("type"), t.name());
                assertNotNull(factory.getSchema(Json.tree(schema)), t.name());
            }
            assertFalse(Json.write(t.inputSchema()).contains("\"projectId\""), t.name() + " must not take projectId");
            assertEquals(false, t.inputSchema().get("additionalProperties"), t.name() + " input must be closed");
        }
    }

    @Test
    void listToolsWhenPagedThenTakeLimitAndCursorAndAnswerAPluralKeyWithNextCursor() {
        for (Catalog.Tool t : catalog.wire().tools()) {
            if (!t.name().startsWith("list_") && !t.name().equals("search")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> in = (Map<String, Object>) t.inputSchema().get("properties");
            @SuppressWarnings("unchecked")
            Map<String, Object> limit = (Map<String, Object>) in.get("limit");
            assertEquals(100, ((Number) limit.get("maximum")).intValue(), t.name());
            assertEquals(50, ((Number) limit.get("default")).intValue(), t.name());
            assertTrue(in.containsKey("cursor"), t.name());
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) t.outputSchema().get("properties");
            assertTrue(out.containsKey("nextCursor"), t.name());
            assertTrue(out.keySet().stream().anyMatch(k -> k.endsWith("s") && !k.equals("nextCursor")), t.name());
        }
    }
}
