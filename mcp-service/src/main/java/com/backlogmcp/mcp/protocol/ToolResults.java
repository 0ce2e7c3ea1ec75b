package com.backlogmcp.mcp.protocol;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's answer as MCP wants it: {@code structuredContent} plus the same JSON as a text block, so clients
 * that predate structured content (2025-03-26) read the same data. Sent in every era: older clients ignore it.
 */
@Singleton
public class ToolResults {

    private final JsonMapper json;

    public ToolResults(JsonMapper json) {
        this.json = json;
    }

    /**
     * A tool's output as backlog-service encoded it: the text copy is those bytes as they are and the structured copy
     * is written from them unchanged ({@link ReplyEncoder}), so the output is never decoded and encoded again here.
     */
    public Map<String, Object> toolResult(RawJson structured, boolean isError) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("content", List.of(Map.of("type", "text", "text", new String(structured.bytes(), StandardCharsets.UTF_8))));
        result.put("structuredContent", structured);
        result.put("isError", isError);
        return result;
    }

    public Map<String, Object> toolResult(Map<String, Object> structured, boolean isError, String protocolVersion) {
        Map<String, Object> content = structured == null ? Map.of() : structured;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("content", List.of(Map.of("type", "text", "text", text(content))));
        result.put("structuredContent", content);
        result.put("isError", isError);
        return result;
    }

    private String text(Map<String, Object> structured) {
        try {
            return json.writeValueAsString(structured == null ? Map.of() : structured);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
