package com.backlogmcp.backlog;

import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;

import java.util.LinkedHashMap;
import java.util.Map;

/** Calls this service's internal API as a neighbour service would, answering status and parsed JSON body. */
public final class Internal {

    public record Reply(int status, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> content() {
            return (Map<String, Object>) body.get("structuredContent");
        }

        public boolean isError() {
            return Boolean.TRUE.equals(body.get("isError"));
        }

        public String errorType() {
            return isError() ? (String) content().get("error_type") : null;
        }
    }

    private final HttpClient client;
    private final String caller;

    public Internal(HttpClient client) {
        this(client, ServiceNames.MCP);
    }

    public Internal(HttpClient client, String caller) {
        this.client = client;
        this.caller = caller;
    }

    public String token() {
        return new ServiceTokens(TestStack.SERVICE_SECRET).mint(caller, ServiceNames.BACKLOG);
    }

    public Reply tool(String name, String projectId, String userId, Map<String, Object> arguments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("arguments", arguments);
        return send(HttpRequest.POST("/internal/tools/" + name, Json.write(body)));
    }

    /** A tool call made through a named client (an OAuth client id or api_key:…), as the edge sends it. */
    public Reply tool(String name, String projectId, String userId, String clientId, Map<String, Object> arguments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("clientId", clientId);
        body.put("arguments", arguments);
        return send(HttpRequest.POST("/internal/tools/" + name, Json.write(body)));
    }

    public Reply get(String path) {
        return send(HttpRequest.GET(path));
    }

    public Reply post(String path, String body) {
        return send(HttpRequest.POST(path, body));
    }

    public Reply send(MutableHttpRequest<?> request) {
        request.bearerAuth(token()).contentType(MediaType.APPLICATION_JSON_TYPE);
        try {
            HttpResponse<String> r = client.toBlocking().exchange(request, String.class);
            return new Reply(r.getStatus().getCode(), parse(r.body()));
        } catch (HttpClientResponseException e) {
            return new Reply(e.getStatus().getCode(), parse(e.getResponse().getBody(String.class).orElse(null)));
        }
    }

    private static Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        try {
            return Json.map(Json.parse(body));
        } catch (Exception e) {
            throw new AssertionError("not a JSON body: " + body, e);
        }
    }
}
