package com.backlogmcp.backlog.catalog;

import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.tools.ToolCatalog;
import com.backlogmcp.backlog.tools.ToolExecutor;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.vocabulary.ErrorType;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-registry rules every tool obeys; a new tool that breaks one fails here, not in an agent. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogInvariantsTest implements TestPropertyProvider {

    /** Every tool the catalog serves → its scope and least role (docs/architecture.md §4). */
    static final Map<String, List<String>> EXPECTED_TOOLS = Map.ofEntries(
            Map.entry("get_project", List.of("backlog:read", "viewer")),
            Map.entry("list_items", List.of("backlog:read", "viewer")),
            Map.entry("get_item", List.of("backlog:read", "viewer")),
            Map.entry("search", List.of("backlog:read", "viewer")),
            Map.entry("create_item", List.of("backlog:write", "member")),
            Map.entry("update_item", List.of("backlog:write", "member")),
            Map.entry("update_items", List.of("backlog:write", "member")),
            Map.entry("get_item_history", List.of("backlog:read", "viewer")),
            Map.entry("list_activity", List.of("backlog:read", "viewer")),
            Map.entry("list_projects", List.of("backlog:read", "viewer")),
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
    void catalogWhenServedThenHoldsExactlyTheExpectedToolsWithTheirScopeAndRole() {
        Map<String, Object> servedWorkspace = new Internal(client).get("/internal/catalog?view=workspace").body();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workspaceTools = (List<Map<String, Object>>) servedWorkspace.get("tools");
        assertEquals(EXPECTED_TOOLS.keySet(), workspaceTools.stream().map(t -> (String) t.get("name")).collect(Collectors.toSet()));
        Map<String, Object> served = new Internal(client).get("/internal/catalog").body();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools = (List<Map<String, Object>>) served.get("tools");
        Set<String> projectTools = new HashSet<>(EXPECTED_TOOLS.keySet());
        projectTools.remove("list_projects");
        assertEquals(projectTools, tools.stream().map(t -> (String) t.get("name")).collect(Collectors.toSet()),
                "a project endpoint offers every tool but the workspace-only ones");
        for (Map<String, Object> t : tools) {
            assertEquals(EXPECTED_TOOLS.get(t.get("name")), List.of(t.get("scope"), t.get("minRole")), (String) t.get("name"));
        }
        assertNotNull(served.get("version"));
        assertEquals(4, ((List<?>) served.get("resources")).size());
        assertEquals(1, ((List<?>) served.get("resourceTemplates")).size());
        assertEquals(Set.of("summarise_project_status", "create_issue_from_context", "triage_inbox"),
                ((List<?>) served.get("prompts")).stream().map(p -> ((Map<?, ?>) p).get("name")).collect(Collectors.toSet()));
    }

    /** Every tool in its project-endpoint form, the workspace-only ones included. */
    private List<Catalog.Tool> everyTool() {
        return catalog.definitions().stream().map(ToolDefinition::toWire).toList();
    }

    @Test
    void schemasWhenServedThenNoRequiredListNamesAFieldTwice() {
        // Strict validators (Ajv, which the SDK clients use) reject a schema whose "required" repeats a name.
        for (Catalog.Tool t : catalog.wire().tools()) {
            assertNoDuplicateRequired(t.inputSchema(), t.name() + " input");
            assertNoDuplicateRequired(t.outputSchema(), t.name() + " output");
        }
    }

    private static void assertNoDuplicateRequired(Object node, String where) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("required") instanceof List<?> required) {
                assertEquals(required.size(), new HashSet<>(required).size(), where + " repeats a required name: " + required);
            }
            map.values().forEach(v -> assertNoDuplicateRequired(v, where));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> assertNoDuplicateRequired(v, where));
        }
    }

    @Test
    void toolNamesWhenListedThenUnique() {
        Set<String> seen = new HashSet<>();
        catalog.definitions().forEach(d -> assertTrue(seen.add(d.name()), "duplicate tool " + d.name()));
    }

    @Test
    void hintsWhenReadOnlyThenNeverDestructiveAndWriteToolsNeverReadOnly() {
        for (Catalog.Tool t : everyTool()) {
            assertNotNull(t.annotations(), t.name());
            assertFalse(t.annotations().readOnlyHint() && t.annotations().destructiveHint(), t.name());
            assertEquals(!t.write(), t.annotations().readOnlyHint(), t.name() + ": readOnlyHint must mirror write");
            assertFalse(t.annotations().openWorldHint(), t.name() + " only touches this project's data");
        }
    }

    @Test
    void scopesWhenReadToolThenReadScopeAndWhenWriteToolThenWriteScope() {
        for (Catalog.Tool t : everyTool()) {
            assertEquals(t.write(), t.scope().endsWith(":write"), t.name() + " uses " + t.scope());
            assertEquals(!t.write(), t.scope().endsWith(":read"), t.name() + " uses " + t.scope());
        }
    }

    @Test
    void toolsetWhenAnyToolThenKnownToolsetAndDescriptionForAnAgent() {
        for (Catalog.Tool t : everyTool()) {
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
        for (Catalog.Tool t : everyTool()) {
            for (Map<String, Object> schema : List.of(t.inputSchema(), t.outputSchema())) {
                assertEquals(Schema.DIALECT, schema.get("$schema"), t.name());
                assertEquals("object", schema.get("type"), t.name());
                assertNotNull(factory.getSchema(Json.tree(schema)), t.name());
            }
            assertFalse(((Map<?, ?>) t.inputSchema().get("properties")).containsKey("projectId"),
                    t.name() + " must not take projectId: the endpoint URL (or the workspace view) supplies it");
            // strict validators (Ajv, as MCP clients use) refuse a schema whose required list repeats a name
            assertRequiredListsUnique(t.name(), t.outputSchema());
            assertRequiredListsUnique(t.name(), t.inputSchema());
            assertEquals(false, t.inputSchema().get("additionalProperties"), t.name() + " input must be closed");
        }
    }

    @SuppressWarnings("unchecked")
    static void assertRequiredListsUnique(String where, Object node) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("required") instanceof List<?> required) {
                assertEquals(new HashSet<>(required).size(), required.size(), where + ": required " + required);
            }
            m.values().forEach(v -> assertRequiredListsUnique(where, v));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> assertRequiredListsUnique(where, v));
        }
    }

    @Test
    void writeToolsWhenListedThenEachTakesAndAnswersDryRun() {
        for (Catalog.Tool t : catalog.wire().tools()) {
            Map<?, ?> in = (Map<?, ?>) t.inputSchema().get("properties");
            Map<?, ?> out = (Map<?, ?>) t.outputSchema().get("properties");
            assertEquals(t.write(), in.containsKey("dry_run"), t.name());
            if (t.write()) {
                assertEquals("boolean", ((Map<?, ?>) in.get("dry_run")).get("type"), t.name());
                assertTrue(out.containsKey("dry_run"), t.name());
            }
        }
    }

    @Test
    void listToolsWhenPagedThenTakeLimitAndCursorAndAnswerAPluralKeyWithNextCursor() {
        for (Catalog.Tool t : everyTool()) {
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

    // The response convention of docs/tool-conventions.md, checked over every tool's published schemas.

    /** Keys only an error result has: a success schema never uses them, so no agent mistakes one for the other. */
    private static final Set<String> ERROR_ONLY_KEYS = Set.of("error_type", "hint", "next_action");
    /** Output properties that always hold user-written text, so they must come in the untrusted envelope. */
    private static final Set<String> USER_WRITTEN = Set.of("title", "description", "body", "snippet");

    @Test
    void resultsWhenAnyToolThenAnObjectWithItsRecordsUnderRequiredNounKeysAndNoErrorKeys() {
        for (Catalog.Tool t : catalog.wire().tools()) {
            Map<String, Object> out = properties(t.outputSchema());
            List<?> required = (List<?>) t.outputSchema().get("required");
            assertNotNull(required, t.name() + " must say which result keys are always there");
            assertFalse(required.isEmpty(), t.name());
            assertTrue(out.keySet().containsAll(required), t.name());
            assertFalse(required.contains("nextCursor"), t.name() + ": nextCursor is absent on the last page");
            for (String key : out.keySet()) {
                assertFalse(ERROR_ONLY_KEYS.contains(key), t.name() + " uses the error key " + key + " in a success");
                // dry_run echoes the argument of the same name, spelled as agents send it.
                assertTrue(key.matches("[a-z][A-Za-z]*") || key.equals(ToolDefinition.DRY_RUN),
                        t.name() + ": result key " + key + " is not camelCase");
            }
        }
    }

    @Test
    void pagingWhenToolTakesACursorThenItTakesALimitAndAnswersNextCursorAndOnlyThen() {
        int paged = 0;
        for (Catalog.Tool t : catalog.wire().tools()) {
            Map<String, Object> in = properties(t.inputSchema());
            Map<String, Object> out = properties(t.outputSchema());
            assertEquals(in.containsKey("cursor"), out.containsKey("nextCursor"), t.name() + ": cursor in, nextCursor out");
            if (!in.containsKey("cursor")) {
                assertFalse(in.containsKey("limit"), t.name() + " takes a limit but cannot be paged");
                continue;
            }
            paged++;
            Map<String, Object> limit = object(in.get("limit"));
            assertEquals("integer", limit.get("type"), t.name());
            assertEquals(1, ((Number) limit.get("minimum")).intValue(), t.name());
            assertEquals(SharedSchemas.MAX_LIMIT, ((Number) limit.get("maximum")).intValue(), t.name());
            assertEquals(SharedSchemas.DEFAULT_LIMIT, ((Number) limit.get("default")).intValue(), t.name());
            assertEquals("string", object(in.get("cursor")).get("type"), t.name());
            assertEquals("string", object(out.get("nextCursor")).get("type"), t.name());
            long rowLists = out.values().stream().map(CatalogInvariantsTest::object)
                    .filter(p -> "array".equals(p.get("type"))).count();
            assertTrue(rowLists >= 1, t.name() + " pages no list");
            assertTrue(t.description().contains("nextCursor"), t.name() + " description must say how to page");
        }
        assertTrue(paged >= 10, "only " + paged + " paged tools found: the check lost its subject");
    }

    @Test
    void shapingWhenToolTakesVerboseOrFieldsThenCompactIsTheDefaultAndFieldsNameResultKeys() {
        int shaped = 0;
        for (Catalog.Tool t : catalog.wire().tools()) {
            Map<String, Object> in = properties(t.inputSchema());
            if (in.containsKey("verbose")) {
                Map<String, Object> verbose = object(in.get("verbose"));
                assertEquals("boolean", verbose.get("type"), t.name());
                assertEquals(false, verbose.get("default"), t.name() + ": compact is the default");
            }
            if (in.containsKey("fields")) {
                Map<String, Object> fields = object(in.get("fields"));
                assertEquals("array", fields.get("type"), t.name());
                assertEquals(true, fields.get("uniqueItems"), t.name());
                List<?> names = (List<?>) object(fields.get("items")).get("enum");
                assertNotNull(names, t.name() + ": fields must list the keys it can pick");
                assertFalse(names.isEmpty(), t.name());
                Set<String> resultKeys = new HashSet<>();
                walk(t.outputSchema(), t.outputSchema(), (name, schema) -> resultKeys.add(name));
                for (Object name : names) {
                    assertTrue(resultKeys.contains((String) name), t.name() + ": fields offers " + name + ", which no result has");
                }
                shaped++;
            }
        }
        assertTrue(shaped >= 5, "only " + shaped + " tools take fields: the check lost its subject");
    }

    @Test
    void untrustedTextWhenAnyResultThenUserWrittenTextComesInTheEnvelope() {
        List<String> violations = new ArrayList<>();
        int[] checked = {0};
        for (Catalog.Tool t : catalog.wire().tools()) {
            walk(t.outputSchema(), t.outputSchema(), (name, schema) -> {
                Map<String, Object> props = properties(schema);
                if (props.containsKey("untrusted")) {
                    if (!Set.of("untrusted", "text").equals(props.keySet())
                            || !List.of("untrusted", "text").equals(schema.get("required"))
                            || !"boolean".equals(object(props.get("untrusted")).get("type"))) {
                        violations.add(t.name() + "." + name + ": the envelope is exactly {untrusted: true, text}");
                    }
                }
            });
            walk(t.outputSchema(), t.outputSchema(), (name, schema) -> {
                if (USER_WRITTEN.contains(name)) {
                    checked[0]++;
                    if (!isEnvelope(t.outputSchema(), schema)) {
                        violations.add(t.name() + "." + name + " is user-written text outside the untrusted envelope");
                    }
                }
            });
        }
        assertEquals(List.of(), violations);
        assertTrue(checked[0] >= 20, "only " + checked[0] + " user-written properties found: the check lost its subject");
    }

    @Test
    void errorsWhenAToolFailsThenErrorTypeMessageHintAndFieldOnlyForValidation() {
        Map<String, Object> invalid = ToolExecutor.failure(ToolFailure.invalid("title", "must be at most 500 characters"))
                .structuredContent();
        assertEquals(List.of("error_type", "message", "hint", "field"), List.copyOf(invalid.keySet()));
        assertEquals("VALIDATION_ERROR", invalid.get("error_type"));
        assertEquals("title", invalid.get("field"));
        assertTrue(((String) invalid.get("message")).startsWith("title: "));
        Map<String, Object> notFound = ToolExecutor.failure(ToolFailure.notFound("item", "itm_x")).structuredContent();
        assertEquals(List.of("error_type", "message", "hint"), List.copyOf(notFound.keySet()));
        assertEquals(ErrorType.NOT_FOUND.hint(), notFound.get("hint"));
        Map<String, Object> conflict = ToolExecutor.failure(ToolFailure.conflict("Changed meanwhile.", "Fetch it again."))
                .structuredContent();
        assertEquals("Fetch it again.", conflict.get("hint"), "a tool's own hint wins over the default");
        assertTrue(ToolExecutor.failure(ToolFailure.of(ErrorType.CONFLICT, "x")).isError());
        for (ErrorType type : ErrorType.values()) {
            assertFalse(type.hint().isBlank(), type + " needs a hint telling the agent what to do next");
        }
    }

    /** Calls {@code visit} with every named property of {@code schema}, at any depth ($refs into $defs followed). */
    private static void walk(Map<String, Object> root, Map<String, Object> schema, BiConsumer<String, Map<String, Object>> visit) {
        walk(root, schema, visit, new HashSet<>());
    }

    private static void walk(Map<String, Object> root, Map<String, Object> schema, BiConsumer<String, Map<String, Object>> visit,
                             Set<String> followed) {
        Map<String, Object> s = resolve(root, schema, followed);
        if (s == null) {
            return;
        }
        for (Map.Entry<String, Object> p : properties(s).entrySet()) {
            Map<String, Object> child = object(p.getValue());
            visit.accept(p.getKey(), resolveQuietly(root, child));
            walk(root, child, visit, followed);
        }
        if (s.get("items") instanceof Map<?, ?>) {
            walk(root, object(s.get("items")), visit, followed);
        }
        if (s.get("anyOf") instanceof List<?> options) {
            options.forEach(o -> walk(root, object(o), visit, followed));
        }
    }

    /** {@code schema} itself, or what its $ref points at (null when that $def was walked already). */
    private static Map<String, Object> resolve(Map<String, Object> root, Map<String, Object> schema, Set<String> followed) {
        Object ref = schema.get("$ref");
        if (ref == null) {
            return schema;
        }
        return followed.add((String) ref) ? resolveQuietly(root, schema) : null;
    }

    private static Map<String, Object> resolveQuietly(Map<String, Object> root, Map<String, Object> schema) {
        Object ref = schema.get("$ref");
        if (ref == null) {
            return schema;
        }
        String pointer = (String) ref;
        assertTrue(pointer.startsWith("#/$defs/"), pointer);
        return object(object(root.get("$defs")).get(pointer.substring("#/$defs/".length())));
    }

    /** The envelope itself, or a nullable one ({@code anyOf: [envelope, null]}). */
    private static boolean isEnvelope(Map<String, Object> root, Map<String, Object> schema) {
        if (properties(schema).containsKey("untrusted")) {
            return true;
        }
        return schema.get("anyOf") instanceof List<?> options && options.stream()
                .map(o -> resolveQuietly(root, object(o)))
                .allMatch(o -> "null".equals(o.get("type")) || properties(o).containsKey("untrusted"));
    }

    private static Map<String, Object> properties(Map<String, Object> schema) {
        Object p = schema.get("properties");
        return p == null ? Map.of() : object(p);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }
}
