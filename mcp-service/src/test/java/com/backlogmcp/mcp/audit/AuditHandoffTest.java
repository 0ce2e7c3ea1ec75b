package com.backlogmcp.mcp.audit;

import com.backlogmcp.mcp.TestStack;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka away (every Kafka setting of the edge points at a closed port): the edge's audit events reach audit-service
 * over HTTP, each exactly once, both when the edge stops and, while it runs, once they waited longer than the bound.
 * That audit-service then stores them once, and that a later Kafka delivery of the same ids adds nothing, is
 * audit-service's {@code AuditEventHandoffTest}; here audit-service is the boundary's fake.
 */
class AuditHandoffTest {

    /** SHUTDOWN_GRACE_PERIOD plus MCP_AUDIT_SHUTDOWN_BUDGET as application.yml sets them: what closing may take. */
    private static final Duration CLOSE_PROMISE = Duration.ofSeconds(20 + 10);

    private final FakeNeighbours fakes = FakeNeighbours.get();

    @BeforeEach
    void reset() {
        fakes.reset();
    }

    private EmbeddedServer edge(String handoffAfter, int buffer) {
        Map<String, Object> p = new HashMap<>(TestStack.properties());
        p.putAll(fakes.properties());
        p.put("kafka.bootstrap.servers", "127.0.0.1:1");
        p.put("backlogmcp.audit-handoff.after", handoffAfter);
        p.put("backlogmcp.edge.audit-buffer", String.valueOf(buffer));
        return ApplicationContext.run(EmbeddedServer.class, p);
    }

    private void callTools(McpHttp edge, int calls) {
        String token = fakes.token(OWNER, PROJECT, ALL_SCOPES);
        for (int i = 0; i < calls; i++) {
            McpHttp.Reply r = edge.mcp(PROJECT, token, request(i, "tools/call",
                    Map.of("name", "get_item", "arguments", Map.of("id", "itm_" + i))));
            assertEquals(false, r.result().get("isError"), r.body());
        }
    }

    @Test
    void edgeWhenStoppedWhileKafkaAwayThenAuditServiceHasEveryExecutedCallOnceWithinTheGracePeriod() {
        EmbeddedServer replica = edge("1h", 1000); // nothing is handed over before the shutdown
        callTools(new McpHttp(replica.getURL().toString()), 48);
        AuditTrail trail = replica.getApplicationContext().getBean(AuditTrail.class);
        assertEquals(48, trail.pending(), "Kafka is away: every event waits in the buffer");
        assertTrue(fakes.handedOverEvents.isEmpty());

        long start = System.nanoTime();
        replica.getApplicationContext().close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(48, fakes.toolCalls.size());
        assertEquals(48, fakes.handedOverEvents.size(), "one audit event per executed call reached audit-service");
        assertTrue(fakes.handedOverEvents.values().stream().allMatch(n -> n.get() == 1), "each exactly once");
        assertTrue(took.compareTo(CLOSE_PROMISE) < 0, "closing took " + took);
        System.out.printf("audit hand-over at shutdown: 48 events, context closed in %d ms%n", took.toMillis());
    }

    @Test
    void kafkaWhenAwayLongerThanTheBoundThenEventsLeaveTheBufferAndCallsKeepRunning() throws InterruptedException {
        EmbeddedServer replica = edge("1s", 10);
        try {
            McpHttp edge = new McpHttp(replica.getURL().toString());
            AuditTrail trail = replica.getApplicationContext().getBean(AuditTrail.class);
            for (int round = 1; round <= 3; round++) { // 24 calls through a buffer of 10
                callTools(edge, 8);
                int expected = 8 * round;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((fakes.handedOverEvents.size() < expected || trail.pending() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(expected, fakes.handedOverEvents.size());
                assertEquals(0, trail.pending());
            }
            assertTrue(fakes.handedOverEvents.values().stream().map(AtomicInteger::get).allMatch(n -> n == 1));
            assertEquals(24, trail.handedOver());
        } finally {
            replica.getApplicationContext().close();
        }
        assertEquals(24, fakes.handedOverEvents.size(), "nothing left for the shutdown, nothing handed over twice");
    }
}
