package com.backlogmcp.backlog.tools;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed requests to the internal API: a 4xx with a JSON message, never a 500, nothing written. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTest extends ToolTestSupport {

    void assert4xxJson(int status, String path, String body) {
        var r = internal().send(HttpRequest.POST(path, body));
        assertEquals(status, r.status(), path + " " + r.body());
        assertTrue(r.body().containsKey("message") || r.body().containsKey("error"), r.body().toString());
    }

    @Test
    void toolCallWhenBodyIsNotJsonThen400() {
        assert4xxJson(400, "/internal/tools/list_items", "{\"projectId\": ");
        assert4xxJson(400, "/internal/tools/list_items", "not json at all");
        assert4xxJson(400, "/internal/tools/list_items", "[1,2,3]");
    }

    @Test
    void toolCallWhenUnknownTopLevelFieldThen400() {
        var p = fixtures().project();
        assert4xxJson(400, "/internal/tools/list_items", "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.owner()
                + "\",\"arguments\":{},\"role\":\"owner\"}");
    }

    @Test
    void toolCallWhenProjectIdWrongTypeOrMissingThen400() {
        assert4xxJson(400, "/internal/tools/list_items", "{\"projectId\":42,\"userId\":\"u\"}");
        assert4xxJson(400, "/internal/tools/list_items", "{\"userId\":\"u\"}");
        assert4xxJson(400, "/internal/tools/list_items", "");
    }

    @Test
    void toolCallWhenDuplicateKeysThen400() {
        assert4xxJson(400, "/internal/tools/list_items", "{\"projectId\":\"a\",\"projectId\":\"b\",\"userId\":\"u\"}");
    }

    @Test
    void toolCallWhenUnknownToolThen404() {
        var r = internal().tool("drop_database", "prj_x", "usr_x", Map.of());
        assertEquals(404, r.status());
        assertEquals("unknown_tool", r.body().get("error"));
    }

    @Test
    void toolCallWhenBodyOversizedThen413WithJsonAndNothingWritten() {
        var p = fixtures().project();
        String huge = "{\"projectId\":\"" + p.projectId() + "\",\"userId\":\"" + p.member()
                + "\",\"arguments\":{\"title\":\"big\",\"description\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        var r = internal().send(HttpRequest.POST("/internal/tools/create_item", huge));
        assertEquals(413, r.status(), r.body().toString());
        assertNotNull(r.body().get("message"));
        assertEquals(0, rows(ok("list_items", p, p.viewer(), Map.of()).get("items")).size());
    }

    @Test
    void resourcesPromptsAndCompletionsWhenMalformedThen400() {
        assert4xxJson(400, "/internal/resources/read", "{\"projectId\":\"p\",\"userId\":\"u\"}");
        assert4xxJson(400, "/internal/resources/read", "{\"projectId\":\"p\",\"userId\":\"u\",\"uri\":\"x\",\"extra\":1}");
        assert4xxJson(400, "/internal/prompts/triage_inbox", "{broken");
        assert4xxJson(400, "/internal/completions", "{\"projectId\":\"p\",\"userId\":\"u\"}");
        assert4xxJson(404, "/internal/prompts/no_such_prompt", "{}");
    }

    @Test
    void authzWhenProjectIdMissingThen400() {
        var r = internal().get("/internal/authz");
        assertEquals(400, r.status());
    }
}
