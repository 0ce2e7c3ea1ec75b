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
 * The one place a tool result is built, for every endpoint, era and transport.
 * <p>
 * A success carries the output as {@code structuredContent} plus the same JSON as a text block, so clients that
 * predate structured content (2025-03-26) read the same data; it is sent in every era, older clients ignore it.
 * <p>
 * An error ({@code isError: true}) carries its error object ({@code error_type}, {@code message}, {@code hint}, …)
 * only as the text block, never as {@code structuredContent}: clients check any {@code structuredContent} against the
 * tool's {@code outputSchema}, which describes the success, and the official TypeScript SDK v1 turns a mismatch into
 * an exception, so the agent would never read the error. The text is still the whole object as JSON, so an agent or
 * a script parses {@code error_type} and {@code next_action} from it.
 */
@Singleton
public class ToolResults {

    private final JsonMapper json;

    public ToolResults(JsonMapper json) {
        this.json = json;
    }

    /**
     * A tool's output (or error object) as backlog-service encoded it. The text copy is those bytes as they are; a
     * success's structured copy is written from them unchanged ({@link ReplyEncoder}), so the output is never decoded
     * and encoded again here.
     */
    public Map<String, Object> toolResult(RawJson output, boolean isError) {
        return result(new String(output.bytes(), StandardCharsets.UTF_8), isError ? null : output, isError);
    }

    /** A result the edge composes itself: a refusal it renders as the tool's own failure, or a decoded output. */
    public Map<String, Object> toolResult(Map<String, Object> output, boolean isError) {
        Map<String, Object> content = output == null ? Map.of() : output;
        return result(text(content), isError ? null : content, isError);
    }

    private static Map<String, Object> result(String text, Object structured, boolean isError) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("content", List.of(Map.of("type", "text", "text", text)));
        if (structured != null) {
            result.put("structuredContent", structured);
        }
        result.put("isError", isError);
        return result;
    }

    private String text(Map<String, Object> content) {
        try {
            return json.writeValueAsString(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
