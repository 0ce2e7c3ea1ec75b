package com.backlogmcp.mcp.stream;

import com.backlogmcp.contracts.events.BacklogChangeEvent;
import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.session.SessionIds;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.KafkaTopics;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_B;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_C;
import static com.backlogmcp.mcp.support.FakeNeighbours.TWO_PROJECT_USER;
import static com.backlogmcp.mcp.support.FakeNeighbours.WORKSPACE;
import static com.backlogmcp.mcp.support.FakeNeighbours.PUBLIC_URL;
import static com.backlogmcp.mcp.support.FakeNeighbours.VIEWER;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live updates across two edge replicas (this context, A, and a second one, B): a subscription made through B
 * reaches the GET stream held by A, a change published on {@code backlog.changes.v1} is delivered within 1 s,
 * revocation and member removal close streams, the per-credential limit holds, and {@code subscriptions/listen}
 * acknowledges and tags what it delivers.
 */
@MicronautTest
class StreamsTest extends EdgeTestBase {

    private static final String ITEM = "backlog://items/itm_1";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    SessionIds sessionIds;
    @Inject
    SubscriptionBook book;

    private EmbeddedServer replicaB;
    private McpHttp httpB;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("backlogmcp.streams.per-credential", "2");
    }

    @BeforeAll
    void startSecondReplica() {
        KafkaTopics.create(Topics.BACKLOG_CHANGES, Topics.GRANTS);
        replicaB = ApplicationContext.run(EmbeddedServer.class, new HashMap<String, Object>(getProperties()));
        httpB = new McpHttp(replicaB.getURL().toString());
    }

    @AfterAll
    void stopSecondReplica() {
        replicaB.close();
    }

    /** An open SSE stream: its lines as they come, and whether it ended. */
    record Opened(int status, LinkedBlockingQueue<String> lines, CompletableFuture<Void> ended) {
        String awaitLineContaining(String text, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            String line;
            while ((line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                if (line.contains(text)) {
                    return line;
                }
            }
            return null;
        }
    }

    private Opened open(String base, String token, String sessionId) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/p/" + PROJECT + "/mcp")).GET()
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", sessionId).build();
        return stream(get);
    }

    /** Sends {@code request} and reads the answer's lines on a thread of their own, as they arrive. */
    private Opened stream(HttpRequest request) throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        HttpResponse<java.util.stream.Stream<String>> response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(20, TimeUnit.SECONDS);
        Thread.ofVirtual().start(() -> {
            try (var body = response.body()) {
                body.forEach(lines::add);
            } catch (RuntimeException e) {
                // the stream broke: it ended
            } finally {
                ended.complete(null);
            }
        });
        return new Opened(response.statusCode(), lines, ended);
    }

    private String grantToken(String user, String grantId) {
        return fakes.token(user, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, grantId,
                Instant.now().plus(10, ChronoUnit.MINUTES), fakes.signingKey());
    }

    private String initialize(McpHttp on, String token) {
        McpHttp.Reply r = on.mcp(PROJECT, token, request(1, "initialize", params("protocolVersion", "2025-11-25",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))));
        assertEquals(200, r.status(), r.body());
        return r.header("Mcp-Session-Id");
    }

    private static void publishChange(String kind, String userId, List<String> uris) {
        KafkaTopics.publish(Topics.BACKLOG_CHANGES, PROJECT, new BacklogChangeEvent(UUID.randomUUID().toString(), Instant.now(),
                kind, PROJECT, "ws_acme", uris, userId));
    }

    @Test
    void changeWhenSubscribedThroughReplicaBThenDeliveredOnReplicaAsStreamWithinOneSecond() throws Exception {
        String grantId = "gid_" + UUID.randomUUID();
        String token = grantToken(OWNER, grantId);
        String sessionId = initialize(http, token);
        Opened stream = open(server.getURL().toString(), token, sessionId);
        assertEquals(200, stream.status());

        McpHttp.Reply subscribed = httpB.mcp(PROJECT, token, request(2, "resources/subscribe", params("uri", ITEM)),
                "MCP-Protocol-Version", "2025-11-25", "Mcp-Session-Id", sessionId);
        assertEquals(200, subscribed.status(), subscribed.body());
        String nonce = sessionIds.verify(sessionId, grantId, PROJECT).orElseThrow().nonce();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!book.of(nonce).contains(ITEM) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(book.of(nonce).contains(ITEM), "the subscription made on B reached A");

        publishChange(BacklogChangeEvent.RESOURCES_CHANGED, null, List.of(ITEM, "backlog://items/itm_other"));
        String line = stream.awaitLineContaining("notifications/resources/updated", Duration.ofSeconds(1));
        assertNotNull(line, "no notifications/resources/updated within 1 s");
        assertTrue(line.contains(ITEM) && !line.contains("itm_other"), line);
    }

    @Test
    void streamWhenGrantRevokedThenClosedWithinOneSecond() throws Exception {
        String grantId = "gid_" + UUID.randomUUID();
        String token = grantToken(OWNER, grantId);
        Opened stream = open(server.getURL().toString(), token, initialize(http, token));
        assertEquals(200, stream.status());
        KafkaTopics.publish(Topics.GRANTS, grantId, new GrantEvent(UUID.randomUUID().toString(), Instant.now(),
                GrantEvent.GRANT_REVOKED, grantId, null, OWNER, PROJECT, "ws_acme", "client", "user"));
        stream.ended().get(1, TimeUnit.SECONDS);
    }

    @Test
    void streamWhenMemberRemovedThenClosed() throws Exception {
        String token = grantToken(VIEWER, "gid_" + UUID.randomUUID());
        Opened stream = open(server.getURL().toString(), token, initialize(http, token));
        assertEquals(200, stream.status());
        fakes.members.get(PROJECT).remove(VIEWER);
        publishChange(BacklogChangeEvent.MEMBERSHIP_CHANGED, VIEWER, List.of());
        stream.ended().get(5, TimeUnit.SECONDS);
    }

    @Test
    void streamsWhenOverThePerCredentialLimitThen429() throws Exception {
        String token = grantToken(OWNER, "gid_" + UUID.randomUUID());
        String sessionId = initialize(http, token);
        assertEquals(200, open(server.getURL().toString(), token, sessionId).status());
        assertEquals(200, open(server.getURL().toString(), token, sessionId).status());
        assertEquals(429, open(server.getURL().toString(), token, sessionId).status());
    }

    @Test
    void streamWhenSessionEndedThenClosed() throws Exception {
        String token = grantToken(OWNER, "gid_" + UUID.randomUUID());
        String sessionId = initialize(http, token);
        Opened stream = open(server.getURL().toString(), token, sessionId);
        assertEquals(204, httpB.send("DELETE", "/p/" + PROJECT + "/mcp", "Authorization", "Bearer " + token,
                "Mcp-Session-Id", sessionId).status());
        stream.ended().get(5, TimeUnit.SECONDS);
    }

    @Test
    void listenWhenStatelessThenAcknowledgedFirstAndUpdatesTaggedWithSubscriptionId() throws Exception {
        String token = grantToken(OWNER, "gid_" + UUID.randomUUID());
        Map<String, Object> meta = Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities", Map.of());
        String body = McpHttp.json(request("listen:1", "subscriptions/listen",
                params("notifications", Map.of("resourceSubscriptions", List.of(ITEM)), "_meta", meta)));
        HttpRequest post = HttpRequest.newBuilder(URI.create(server.getURL() + "/p/" + PROJECT + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token)
                .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "subscriptions/listen").build();
        Opened stream = stream(post);
        assertEquals(200, stream.status());
        String ack = stream.awaitLineContaining("data:", Duration.ofSeconds(5));
        assertTrue(ack.contains("notifications/subscriptions/acknowledged") && ack.contains("listen:1"), ack);
        publishChange(BacklogChangeEvent.RESOURCES_CHANGED, null, List.of(ITEM));
        String line = stream.awaitLineContaining("notifications/resources/updated", Duration.ofSeconds(1));
        assertNotNull(line, "no update within 1 s");
        assertTrue(line.contains("io.modelcontextprotocol/subscriptionId") && line.contains("listen:1"), line);
    }

    @Test
    void listenWhenOnTheWorkspaceEndpointThenUpdatesOfItsProjectsWhereTheUserIsAMemberOnly() throws Exception {
        String token = fakes.workspaceToken(TWO_PROJECT_USER, WORKSPACE, ALL_SCOPES);
        String inB = "backlog://items/itm_in_b";
        String inC = "backlog://items/itm_in_c";
        Map<String, Object> meta = Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities", Map.of());
        String body = McpHttp.json(request("listen:ws", "subscriptions/listen",
                params("notifications", Map.of("resourceSubscriptions", List.of(inB, inC)), "_meta", meta)));
        HttpRequest post = HttpRequest.newBuilder(URI.create(server.getURL() + "/w/" + WORKSPACE + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token)
                .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "subscriptions/listen").build();
        Opened stream = stream(post);
        assertEquals(200, stream.status());
        assertNotNull(stream.awaitLineContaining("notifications/subscriptions/acknowledged", Duration.ofSeconds(5)));
        // Both on one partition key, so the change in PROJECT_C (not the user's) is handled before the one in PROJECT_B.
        for (String[] change : new String[][]{{PROJECT_C, inC}, {PROJECT_B, inB}}) {
            KafkaTopics.publish(Topics.BACKLOG_CHANGES, WORKSPACE, new BacklogChangeEvent(UUID.randomUUID().toString(),
                    Instant.now(), BacklogChangeEvent.RESOURCES_CHANGED, change[0], WORKSPACE, List.of(change[1]), null));
        }
        List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String line;
        while ((line = stream.lines().poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            seen.add(line);
            if (line.contains("itm_in_b")) {
                break;
            }
        }
        assertTrue(seen.stream().anyMatch(l -> l.contains("notifications/resources/updated") && l.contains(inB)),
                "the update in the user's project arrives: " + seen);
        assertTrue(seen.stream().noneMatch(l -> l.contains("itm_in_c")), "nothing of a project the user is not in: " + seen);
        assertTrue(!stream.ended().isDone(), "the stream stays open for the user's projects");
    }

    @Test
    void replicaWhenShutDownThenStreamEndsReconnectablyAndTheOtherReplicaResumesTheSession() throws Exception {
        String grantId = "gid_" + UUID.randomUUID();
        String token = grantToken(OWNER, grantId);
        try (EmbeddedServer replicaC = ApplicationContext.run(EmbeddedServer.class, new HashMap<String, Object>(getProperties()))) {
            McpHttp httpC = new McpHttp(replicaC.getURL().toString());
            String sessionId = initialize(httpC, token);
            Opened onC = open(replicaC.getURL().toString(), token, sessionId);
            assertEquals(200, onC.status());
            assertEquals(200, httpC.mcp(PROJECT, token, request(5, "resources/subscribe", params("uri", ITEM)),
                    "MCP-Protocol-Version", "2025-11-25", "Mcp-Session-Id", sessionId).status());
            replicaC.getApplicationContext().getBean(StreamHub.class).shutdownGracefully();
            assertNotNull(onC.awaitLineContaining("retry:", Duration.ofSeconds(5)), "the stream ends with a reconnect hint");
            onC.ended().get(5, TimeUnit.SECONDS);

            Opened onA = open(server.getURL().toString(), token, sessionId);
            assertEquals(200, onA.status(), "the session is served by another replica");
            String nonce = sessionIds.verify(sessionId, grantId, PROJECT).orElseThrow().nonce();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!book.of(nonce).contains(ITEM) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            publishChange(BacklogChangeEvent.RESOURCES_CHANGED, null, List.of(ITEM));
            assertNotNull(onA.awaitLineContaining("notifications/resources/updated", Duration.ofSeconds(1)),
                    "the subscription made on the stopped replica still delivers on the other");
        }
    }

    @Test
    void subscribeWithoutSessionThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(3, "resources/subscribe", params("uri", ITEM)),
                "MCP-Protocol-Version", "2025-11-25");
        assertEquals(-32602, ((Number) r.error().get("code")).intValue());
    }
}
