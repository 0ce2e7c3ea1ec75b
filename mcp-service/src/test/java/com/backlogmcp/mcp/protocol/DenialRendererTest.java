package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.pipeline.Denial;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal, of every error type, at the statuses the pipeline gives it: either a JSON-RPC error carrying
 * {@code data.error_type}, or a tool result whose error object is only its text block (never structuredContent).
 */
class DenialRendererTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final EdgeConfiguration CONFIG = new EdgeConfiguration("http://localhost:8080", "http://localhost:8081",
            "http://localhost:8081", List.of(), 50, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofSeconds(30), Duration.ofSeconds(5), "secret", 100, Duration.ofHours(2));
    private static final List<Integer> STATUSES = List.of(200, 401, 403, 404, 423, 429);

    private final DenialRenderer renderer = new DenialRenderer(CONFIG, new ToolResults(JSON));

    private static Denial denial(ErrorType type, int status) {
        return Denial.of(type, status, "Refused: " + type).withDetails(Map.of("field", "projectId",
                "next_action", Map.of("tool", "list_projects", "arguments", Map.of())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(McpReply reply) {
        return (Map<String, Object>) reply.body();
    }

    @Test
    void renderWhenAnyRefusalBecomesAToolResultThenItsErrorObjectIsTheTextBlockAndNoStructuredContent() throws Exception {
        Set<ErrorType> asToolResults = EnumSet.noneOf(ErrorType.class);
        for (Endpoint endpoint : List.of(Endpoint.project("prj_1"), Endpoint.workspace("ws_1"))) {
            for (ErrorType type : ErrorType.values()) {
                for (int status : STATUSES) {
                    Map<String, Object> body = body(renderer.render(denial(type, status), 7, endpoint, null));
                    String what = type + " at " + status + " on " + endpoint + ": " + body;
                    if (body.containsKey("error")) {
                        assertFalse(body.containsKey("result"), what);
                        assertEquals(type.name(), ((Map<?, ?>) ((Map<?, ?>) body.get("error")).get("data")).get("error_type"), what);
                        continue;
                    }
                    asToolResults.add(type);
                    Map<?, ?> result = (Map<?, ?>) body.get("result");
                    assertEquals(true, result.get("isError"), what);
                    assertFalse(result.containsKey("structuredContent"), what);
                    List<?> content = (List<?>) result.get("content");
                    assertEquals(1, content.size(), what);
                    Map<String, Object> expected = new LinkedHashMap<>();
                    expected.put("error_type", type.name());
                    expected.put("message", "Refused: " + type);
                    expected.put("hint", type.hint());
                    expected.put("field", "projectId");
                    expected.put("next_action", Map.of("tool", "list_projects", "arguments", Map.of()));
                    assertEquals(expected, JSON.readValue((String) ((Map<?, ?>) content.get(0)).get("text"), Map.class), what);
                }
            }
        }
        assertTrue(asToolResults.containsAll(Set.of(ErrorType.NOT_FOUND, ErrorType.VALIDATION_ERROR)),
                "a record or argument the call names wrongly is the tool's own failure: " + asToolResults);
    }
}
