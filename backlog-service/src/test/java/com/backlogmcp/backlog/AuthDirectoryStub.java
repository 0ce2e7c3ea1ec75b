package com.backlogmcp.backlog;

import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * auth-service's user directory as backlog-service sees it ({@code POST /internal/users/lookup} with
 * {@code {"emails":[…]}} or {@code {"userIds":[…]}}, answering {@code {"users":[{userId, email, displayName}]}}),
 * insisting on backlog-service's service credential like the real one. One per test JVM; tests using it are about
 * that boundary. {@link #down} makes it answer 503.
 */
public final class AuthDirectoryStub {

    public record User(String userId, String email, String displayName) {
    }

    private static final AuthDirectoryStub INSTANCE = new AuthDirectoryStub();

    /** userId → user */
    public final Map<String, User> users = new ConcurrentHashMap<>();
    public volatile boolean down;
    private final HttpServer server;
    private final ServiceTokens tokens = new ServiceTokens(TestStack.SERVICE_SECRET);

    private AuthDirectoryStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/internal/users/lookup", this::lookup);
        server.setExecutor(null);
        server.start();
    }

    public static AuthDirectoryStub get() {
        return INSTANCE;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void add(String userId, String email, String displayName) {
        users.put(userId, new User(userId, email.toLowerCase(Locale.ROOT), displayName));
    }

    private void lookup(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String caller = auth == null ? null : tokens.verify(auth.replaceFirst("^Bearer ", ""), ServiceNames.AUTH).orElse(null);
            if (!ServiceNames.BACKLOG.equals(caller)) {
                send(ex, 401, "{\"error\":\"unauthenticated\"}");
                return;
            }
            if (down) {
                send(ex, 503, "{\"error\":\"unavailable\"}");
                return;
            }
            JsonNode body = Json.parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            List<Map<String, Object>> out = new ArrayList<>();
            for (User u : users.values()) {
                boolean byEmail = contains(body.path("emails"), u.email());
                boolean byId = contains(body.path("userIds"), u.userId());
                if (byEmail || byId) {
                    out.add(Map.of("userId", u.userId(), "email", u.email(), "displayName", u.displayName()));
                }
            }
            send(ex, 200, Json.write(Map.of("users", out)));
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
