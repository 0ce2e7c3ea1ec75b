package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.Headers;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge's exchange with backlog-service at its HTTP boundary: what every request carries (the service credential
 * for backlog-service, the request id, the call deadline), keep-alive reuse, and every way an exchange can fail
 * becoming {@link UpstreamUnavailableException} within the configured bounds. backlog-service is a JDK HTTP server
 * here because the test is about this boundary itself.
 */
class BacklogExchangeTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-exchange-test";

    private final ServiceTokens tokens = new ServiceTokens(SECRET);
    private final List<HttpExchange> seen = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private volatile long delayMs;
    private volatile int status = 200;
    private volatile boolean closeAfterAnswer;
    private HttpServer server;
    private SimpleMeterRegistry meters;
    private BacklogExchange exchange;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/prefix/internal/", this::answer);
        server.start();
        meters = new SimpleMeterRegistry();
        exchange = exchangeTo(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prefix/"), Duration.ofMillis(700));
    }

    @AfterEach
    void stop() {
        exchange.close();
        server.stop(0);
        MDC.clear();
    }

    private BacklogExchange exchangeTo(URI base, Duration readTimeout) {
        return new BacklogExchange(base, readTimeout, Duration.ofMillis(500), 8, new ServiceCredentials(tokens), meters);
    }

    private void answer(HttpExchange http) throws IOException {
        seen.add(http);
        clientPorts.add(http.getRemoteAddress().getPort());
        headers.add(Map.of(
                "authorization", String.valueOf(http.getRequestHeaders().getFirst("Authorization")),
                "request-id", String.valueOf(http.getRequestHeaders().getFirst(Headers.REQUEST_ID)),
                "deadline", String.valueOf(http.getRequestHeaders().getFirst(Headers.CALL_DEADLINE)),
                "content-type", String.valueOf(http.getRequestHeaders().getFirst("Content-Type")),
                "body", new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                "path", http.getRequestURI().toString()));
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", "application/json");
        if (closeAfterAnswer) {
            http.getResponseHeaders().set("Connection", "close");
        }
        http.sendResponseHeaders(status, body.length);
        http.getResponseBody().write(body);
        http.close();
    }

    @Test
    void aRequestCarriesTheServiceCredentialTheRequestIdAndTheDeadline() {
        MDC.put("requestId", "req-exchange-1");
        BacklogExchange.Reply reply = exchange.post("/internal/tools/{name}", "/internal/tools/get_item",
                "{\"projectId\":\"prj_a\"}".getBytes(StandardCharsets.UTF_8), "1796000000000");

        assertEquals(200, reply.status());
        assertEquals("{\"ok\":true}", new String(reply.body(), StandardCharsets.UTF_8));
        Map<String, String> sent = headers.get(0);
        assertEquals("/prefix/internal/tools/get_item", sent.get("path"), "the configured URL's path is kept");
        assertEquals("{\"projectId\":\"prj_a\"}", sent.get("body"));
        assertTrue(sent.get("content-type").startsWith("application/json"), sent.get("content-type"));
        assertEquals("req-exchange-1", sent.get("request-id"));
        assertEquals("1796000000000", sent.get("deadline"));
        String bearer = sent.get("authorization");
        assertTrue(bearer.startsWith("Bearer "), bearer);
        assertEquals(ServiceNames.MCP, tokens.verify(bearer.substring("Bearer ".length()), ServiceNames.BACKLOG).orElseThrow(),
                "a credential of the edge, for backlog-service");
        assertTrue(tokens.verify(bearer.substring("Bearer ".length()), ServiceNames.AUDIT).isEmpty(),
                "and for no other audience");
    }

    @Test
    void withoutARequestIdOrDeadlineNeitherHeaderIsSent() {
        exchange.get("/internal/catalog", "/internal/catalog");

        assertEquals("null", headers.get(0).get("request-id"));
        assertEquals("null", headers.get(0).get("deadline"));
    }

    @Test
    void consecutiveExchangesReuseOneKeptAliveConnection() {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, exchange.get("/internal/catalog", "/internal/catalog").status());
        }
        assertEquals(1, clientPorts.size(), "one connection for 20 sequential exchanges: " + clientPorts);
    }

    @Test
    void aConnectionTheServerClosedIsReplacedWithoutFailingACall() {
        closeAfterAnswer = true;
        for (int i = 0; i < 5; i++) {
            assertEquals(200, exchange.get("/internal/catalog", "/internal/catalog").status());
        }
        assertEquals(5, clientPorts.size(), "a connection the server closed is never reused");
    }

    @Test
    void anErrorStatusIsAnAnswerForTheCallerToRead() {
        status = 503;
        assertEquals(503, exchange.get("/internal/catalog", "/internal/catalog").status());
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsUpstreamUnavailable() {
        delayMs = 2_000;
        long started = System.nanoTime();

        assertThrows(UpstreamUnavailableException.class, () -> exchange.get("/internal/catalog", "/internal/catalog"));

        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 1_900, "gave up at the read timeout, not when the answer came: " + tookMs + " ms");
    }

    @Test
    void aRefusedConnectionIsUpstreamUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        BacklogExchange nowhere = exchangeTo(URI.create("http://127.0.0.1:" + closedPort), Duration.ofMillis(700));
        try {
            assertThrows(UpstreamUnavailableException.class, () -> nowhere.get("/internal/catalog", "/internal/catalog"));
        } finally {
            nowhere.close();
        }
    }

    @Test
    void everyExchangeIsTimedUnderItsRouteAndStatus() {
        exchange.post("/internal/tools/{name}", "/internal/tools/get_item", "{}".getBytes(StandardCharsets.UTF_8), null);
        exchange.post("/internal/tools/{name}", "/internal/tools/list_items", "{}".getBytes(StandardCharsets.UTF_8), null);
        delayMs = 2_000;
        assertThrows(UpstreamUnavailableException.class, () -> exchange.get("/internal/catalog", "/internal/catalog"));

        Timer tools = meters.find("http.client.requests").tags("serviceId", "backlog", "uri", "/internal/tools/{name}",
                "method", "POST", "status", "200", "exception", "none").timer();
        assertEquals(2, tools == null ? 0 : tools.count(), "both tool calls under the route's template");
        Timer failed = meters.find("http.client.requests").tags("uri", "/internal/catalog", "status", "0").timer();
        assertEquals(1, failed == null ? 0 : failed.count(), "a failed exchange is timed too, with its exception");
        assertTrue(failed.getId().getTag("exception").contains("Timeout"), failed.getId().toString());
    }
}
