package com.backlogmcp.mcp.support;

import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Raw HTTP to the edge, so tests control every header (Origin, Host, Accept, MCP-Protocol-Version …). */
public final class McpHttp {

    public record Reply(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            try {
                return ObjectMapper.getDefault().readValue(body, Map.class);
            } catch (IOException e) {
                throw new AssertionError("not a JSON object: " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> jsonArray() {
            try {
                return ObjectMapper.getDefault().readValue(body, io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
            } catch (IOException e) {
                throw new AssertionError("not a JSON array: " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> result() {
            Object r = json().get("result");
            if (!(r instanceof Map)) {
                throw new AssertionError("no result in " + body);
            }
            return (Map<String, Object>) r;
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> error() {
            Object r = json().get("error");
            if (!(r instanceof Map)) {
                throw new AssertionError("no error in " + status + " " + body);
            }
            return (Map<String, Object>) r;
        }

        /**
         * The error object of a tool error result, read as a client must: from its text block. Fails unless the
         * reply is HTTP 200 with a result that is {@code isError: true}, has no {@code structuredContent} and has
         * one text block holding a JSON object that names its {@code error_type}.
         */
        public Map<String, Object> toolError() {
            if (status != 200) {
                throw new AssertionError("a tool result is answered with HTTP 200, not " + status + ": " + body);
            }
            return toolErrorOf(result(), body);
        }

        @SuppressWarnings("unchecked")
        public String errorType() {
            return String.valueOf(((Map<String, Object>) error().get("data")).get("error_type"));
        }
    }

    /** {@link Reply#toolError()} for a result read from elsewhere (an SSE frame); {@code context} names it in failures. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toolErrorOf(Map<String, Object> result, String context) {
        if (!Boolean.TRUE.equals(result.get("isError"))) {
            throw new AssertionError("not a tool error: " + context);
        }
        if (result.containsKey("structuredContent")) {
            throw new AssertionError("a tool error must not carry structuredContent: " + context);
        }
        List<Map<String, Object>> content = (List<Map<String, Object>>) result.get("content");
        if (content == null || content.size() != 1 || !"text".equals(content.get(0).get("type"))) {
            throw new AssertionError("a tool error is one text block: " + context);
        }
        Map<String, Object> error;
        try {
            error = ObjectMapper.getDefault().readValue((String) content.get(0).get("text"), Map.class);
        } catch (IOException e) {
            throw new AssertionError("the text block of a tool error is not a JSON object: " + context, e);
        }
        if (!(error.get("error_type") instanceof String)) {
            throw new AssertionError("the error object names no error_type: " + context);
        }
        return error;
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public McpHttp(String base) {
        this.base = base;
    }

    public static String json(Object value) {
        try {
            return ObjectMapper.getDefault().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> request(Object id, String method, Map<String, Object> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        if (params != null) {
            m.put("params", params);
        }
        return m;
    }

    /** POSTs {@code body} to {@code path} with the standard client headers plus {@code headers} (name, value pairs). */
    public Reply post(String path, String token, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] == null) {
                h.remove(headers[i]);
            } else {
                h.put(headers[i], headers[i + 1]);
            }
        }
        h.forEach(b::header);
        return send(b.build());
    }

    public Reply mcp(String projectId, String token, Map<String, Object> message, String... headers) {
        return post("/p/" + projectId + "/mcp", token, json(message), headers);
    }

    /** As {@link #mcp}, to the workspace endpoint {@code /w/{workspaceId}/mcp}. */
    public Reply workspace(String workspaceId, String token, Map<String, Object> message, String... headers) {
        return post("/w/" + workspaceId + "/mcp", token, json(message), headers);
    }

    public Reply send(String method, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
