package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Shared plumbing of the tool tests: fixtures, the internal client and small assertions. */
abstract class ToolTestSupport implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> tx;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    Fixtures fixtures() {
        return new Fixtures(tx);
    }

    Internal internal() {
        return new Internal(client);
    }

    Internal.Reply call(String tool, Fixtures.TestProject p, String user, Map<String, Object> args) {
        Internal.Reply r = internal().tool(tool, p.projectId(), user, args);
        assertEquals(200, r.status(), () -> tool + " answered " + r.body());
        return r;
    }

    @Inject
    com.backlogmcp.backlog.tools.ToolCatalog catalog;

    private final Map<String, com.networknt.schema.JsonSchema> outputSchemas = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Calls a tool expecting success; answers its structured content, after checking it against the tool's
     * published output schema (MCP clients validate structuredContent against it).
     */
    Map<String, Object> ok(String tool, Fixtures.TestProject p, String user, Map<String, Object> args) {
        Internal.Reply r = call(tool, p, user, args);
        assertFalse(r.isError(), () -> tool + " failed: " + r.body());
        var schema = outputSchemas.computeIfAbsent(tool, name -> com.networknt.schema.JsonSchemaFactory
                .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(com.backlogmcp.backlog.support.Json.tree(catalog.definitions().stream()
                        .filter(d -> d.name().equals(name)).findFirst().orElseThrow().outputSchema())));
        var errors = schema.validate(com.backlogmcp.backlog.support.Json.tree(r.content()));
        org.junit.jupiter.api.Assertions.assertTrue(errors.isEmpty(), () -> tool + " result breaks its output schema: " + errors);
        return r.content();
    }

    String fail(String tool, Fixtures.TestProject p, String user, Map<String, Object> args) {
        Internal.Reply r = call(tool, p, user, args);
        assertEquals(true, r.isError(), () -> tool + " should have failed: " + r.body());
        return r.errorType();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** The text inside an untrusted envelope. */
    static String text(Object envelope) {
        Map<String, Object> e = map(envelope);
        assertEquals(true, e.get("untrusted"));
        return (String) e.get("text");
    }

    String createItem(Fixtures.TestProject p, String title) {
        return (String) map(ok("create_item", p, p.member(), Map.of("title", title)).get("item")).get("id");
    }

    String conversation(Fixtures.TestProject p, String subject) {
        String id = "conv_" + Math.abs(subject.hashCode()) + "_" + System.nanoTime();
        fixtures().sql(sql -> {
            sql.update("INSERT INTO conversations (id, project_id, subject, requester_name, requester_email, status) VALUES (?, ?, ?, 'Eve End-User', 'eve@example.test', 'open')",
                    id, p.projectId(), subject);
            sql.update("INSERT INTO conversation_messages (id, conversation_id, author_kind, body) VALUES (?, ?, 'requester', 'The export button does nothing.')",
                    "msg_" + System.nanoTime(), id);
        });
        return id;
    }
}
