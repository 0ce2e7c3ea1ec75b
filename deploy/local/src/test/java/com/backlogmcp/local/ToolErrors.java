package com.backlogmcp.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;

/**
 * Reads a tool error result as a client must: the edge sends its error object ({@code error_type}, {@code message},
 * {@code hint}, …) as the result's one text block and never as {@code structuredContent}, which clients check
 * against the tool's output schema.
 */
final class ToolErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolErrors() {
    }

    /**
     * The error object of {@code result} (a JSON-RPC {@code result} with {@code isError: true}); a missing node when
     * the result carries {@code structuredContent} or its text block is not a JSON object, so callers that compare
     * its {@code error_type} fail on either.
     */
    static JsonNode errorObject(JsonNode result) {
        if (result.has("structuredContent") || result.path("content").size() != 1) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode error = JSON.readTree(result.path("content").path(0).path("text").asText());
            return error != null && error.isObject() ? error : MissingNode.getInstance();
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** {@code error_type} of {@link #errorObject}, or "" when there is none. */
    static String errorType(JsonNode result) {
        return errorObject(result).path("error_type").asText();
    }
}
