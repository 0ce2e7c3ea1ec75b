package com.backlogmcp.mcp.protocol;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A success carries structuredContent and its text copy; an error carries its error object as the text block only. */
class ToolResultsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private final ToolResults results = new ToolResults(JSON);

    private static String text(Map<String, Object> result) {
        List<?> content = (List<?>) result.get("content");
        assertEquals(1, content.size(), "one text block");
        Map<?, ?> block = (Map<?, ?>) content.get(0);
        assertEquals("text", block.get("type"));
        return (String) block.get("text");
    }

    @Test
    void toolResultWhenBacklogOutputSucceedsThenStructuredContentIsTheOutputAndTextItsBytes() {
        byte[] output = "{\"item\":{\"id\":\"itm_1\"}}".getBytes(StandardCharsets.UTF_8);
        RawJson raw = new RawJson(output);

        Map<String, Object> result = results.toolResult(raw, false);

        assertEquals(List.of("content", "structuredContent", "isError"), List.copyOf(result.keySet()));
        assertSame(raw, result.get("structuredContent"), "passed through as bytes, never decoded");
        assertEquals("{\"item\":{\"id\":\"itm_1\"}}", text(result));
        assertEquals(false, result.get("isError"));
    }

    @Test
    void toolResultWhenBacklogAnswersAnErrorThenNoStructuredContentAndTheTextIsItsErrorObjectUnchanged() throws Exception {
        String error = "{\"error_type\":\"CONFLICT\",\"message\":\"Item itm_1 changed\",\"hint\":\"Fetch it again\","
                + "\"next_action\":{\"tool\":\"get_item\",\"arguments\":{\"id\":\"itm_1\"}}}";

        Map<String, Object> result = results.toolResult(new RawJson(error.getBytes(StandardCharsets.UTF_8)), true);

        assertEquals(List.of("content", "isError"), List.copyOf(result.keySet()));
        assertEquals(true, result.get("isError"));
        assertEquals(error, text(result), "the same bytes backlog-service wrote");
        assertEquals("get_item", ((Map<?, ?>) JSON.readValue(text(result), Map.class).get("next_action")).get("tool"));
    }

    @Test
    void toolResultWhenTheEdgeComposesAnErrorThenNoStructuredContentAndTheTextIsTheWholeObjectAsJson() throws Exception {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_type", "VALIDATION_ERROR");
        error.put("message", "projectId: is required");
        error.put("hint", "Call list_projects");
        error.put("field", "projectId");
        error.put("next_action", Map.of("tool", "list_projects", "arguments", Map.of()));

        Map<String, Object> result = results.toolResult(error, true);

        assertFalse(result.containsKey("structuredContent"));
        assertEquals(true, result.get("isError"));
        assertEquals(error, JSON.readValue(text(result), Map.class));
    }

    @Test
    void toolResultWhenTheEdgeComposesASuccessThenStructuredContentAndTheSameJsonAsText() throws Exception {
        Map<String, Object> output = Map.of("projects", List.of(Map.of("id", "prj_1")));

        Map<String, Object> result = results.toolResult(output, false);

        assertEquals(output, result.get("structuredContent"));
        assertEquals(output, JSON.readValue(text(result), Map.class));
        assertEquals(false, result.get("isError"));
    }
}
