package com.backlogmcp.mcp.legacy;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_B;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_C;
import static com.backlogmcp.mcp.support.FakeNeighbours.TWO_PROJECT_USER;
import static com.backlogmcp.mcp.support.FakeNeighbours.WORKSPACE;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legacy HTTP+SSE transport: endpoint event, answers on the stream, the pipeline behind it, 404 for foreign or ended sessions. */
@MicronautTest
class LegacySseTest extends EdgeTestBase {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Opened(int status, LinkedBlockingQueue<String> lines, java.util.List<String> seen, java.io.InputStream body) {
        String next(String containing) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String line;
            while ((line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                seen.add(line);
                if (line.contains(containing)) {
                    return line;
                }
            }
            return null;
        }
    }

    private Opened open(String token) throws Exception {
        return open("/p/" + PROJECT + "/sse", token);
    }

    private Opened open(String path, String token) throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest get = HttpRequest.newBuilder(URI.create(server.getURL() + path)).GET()
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build();
        HttpResponse<java.io.InputStream> response = CLIENT.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream())
                .get(20, TimeUnit.SECONDS);
        Thread.ofVirtual().start(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // closed
            }
        });
        return new Opened(response.statusCode(), lines, java.util.Collections.synchronizedList(new java.util.ArrayList<>()), response.body());
    }

    private String endpoint(Opened stream) throws InterruptedException {
        String data = stream.next("/messages?sessionId=");
        assertNotNull(data, "the stream announces the messages endpoint");
        assertTrue(stream.seen.stream().anyMatch(l -> l.startsWith("event") && l.contains("endpoint")), "as an endpoint event");
        return data.substring(data.indexOf(':') + 1).trim();
    }

    @Test
    void legacyWhenRequestsPostedThenAnsweredOnTheStreamThroughThePipeline() throws Exception {
        String token = ownerToken();
        Opened stream = open(token);
        assertEquals(200, stream.status());
        String endpoint = endpoint(stream);
        assertTrue(endpoint.startsWith("/p/" + PROJECT + "/messages?sessionId="), endpoint);

        McpHttp.Reply init = http.post(endpoint, token, McpHttp.json(request(1, "initialize", params("protocolVersion", "2024-11-05",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "legacy", "version", "1")))));
        assertEquals(202, init.status(), init.body());
        String answer = stream.next("\"id\":1");
        assertTrue(answer.contains("\"protocolVersion\":\"2024-11-05\""), answer);

        McpHttp.Reply call = http.post(endpoint, token, McpHttp.json(request(2, "tools/call",
                params("name", "get_item", "arguments", Map.of("id", "itm_1")))));
        assertEquals(202, call.status());
        assertTrue(stream.next("\"id\":2").contains("\"isError\":false"));
        assertFalse(fakes.toolCalls.isEmpty(), "the tool ran through the pipeline");

        assertEquals(202, http.post(endpoint, token, McpHttp.json(request(3, "tools/call",
                params("name", "get_item", "arguments", Map.of("id", "itm_foreign"))))).status());
        assertEquals("NOT_FOUND", toolError(stream.next("\"id\":3")).get("error_type"));
    }

    /** The error object of the tool error result in an SSE {@code data:} line. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> toolError(String dataLine) throws java.io.IOException {
        assertNotNull(dataLine, "answered on the stream");
        Map<String, Object> message = io.micronaut.serde.ObjectMapper.getDefault()
                .readValue(dataLine.substring(dataLine.indexOf(':') + 1).trim(), Map.class);
        return McpHttp.toolErrorOf((Map<String, Object>) message.get("result"), dataLine);
    }

    @Test
    void legacyWhenOpenedOnTheWorkspaceEndpointThenItsMessagesRunAcrossAndPerProject() throws Exception {
        String token = fakes.workspaceToken(TWO_PROJECT_USER, WORKSPACE, "backlog:read");
        Opened stream = open("/w/" + WORKSPACE + "/sse", token);
        assertEquals(200, stream.status());
        String endpoint = endpoint(stream);
        assertTrue(endpoint.startsWith("/w/" + WORKSPACE + "/messages?sessionId="), endpoint);
        assertEquals(401, http.post(endpoint.replace("/w/" + WORKSPACE + "/", "/p/" + PROJECT + "/"), token,
                McpHttp.json(request(9, "ping", null))).status(), "the workspace's token reaches no project endpoint");

        assertEquals(202, http.post(endpoint, token, McpHttp.json(request(1, "tools/call",
                params("name", "list_projects", "arguments", Map.of())))).status());
        String listed = stream.next("\"id\":1");
        assertTrue(listed.contains(PROJECT_B) && !listed.contains(PROJECT_C), listed);
        assertEquals(202, http.post(endpoint, token, McpHttp.json(request(2, "tools/call",
                params("name", "get_item", "arguments", Map.of("projectId", PROJECT_B, "id", "itm_1"))))).status());
        assertTrue(stream.next("\"id\":2").contains("\"isError\":false"));
        assertEquals(202, http.post(endpoint, token, McpHttp.json(request(3, "tools/call",
                params("name", "get_item", "arguments", Map.of("id", "itm_1"))))).status());
        assertEquals("VALIDATION_ERROR", toolError(stream.next("\"id\":3")).get("error_type"),
                "a project tool without projectId, refused by the edge itself");
    }

    @Test
    void legacyWhenSessionUnknownOrForeignThen404() throws Exception {
        String token = ownerToken();
        String endpoint = endpoint(open(token));
        assertEquals(404, http.post(endpoint, ownerToken(), McpHttp.json(request(3, "ping", null))).status(),
                "another credential cannot post into the session");
        assertEquals(404, http.post("/p/" + PROJECT + "/messages?sessionId=s1.bm8.AAAA", token,
                McpHttp.json(request(4, "ping", null))).status());
        assertEquals(400, http.post("/p/" + PROJECT + "/messages", token, McpHttp.json(request(5, "ping", null))).status());
    }

    @Test
    void legacyWhenStreamClosedThenSessionGone() throws Exception {
        String token = ownerToken();
        Opened stream = open(token);
        String endpoint = endpoint(stream);
        assertEquals(202, http.post(endpoint, token, McpHttp.json(request(6, "ping", null))).status());
        stream.body().close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status;
        do {
            status = http.post(endpoint, token, McpHttp.json(request(7, "ping", null))).status();
        } while (status != 404 && System.nanoTime() < deadline);
        assertEquals(404, status);
    }

    @Test
    void legacyWhenNoTokenThen401WithChallenge() {
        McpHttp.Reply r = http.send("GET", "/p/" + PROJECT + "/sse", "Accept", "text/event-stream");
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("resource_metadata="));
    }
}
