package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.mcp.audit.AuditTrail;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Neighbours slow or down: bounded timeouts turn into UPSTREAM_UNAVAILABLE quickly and the edge recovers by
 * itself; with Kafka unreachable calls keep working until the audit buffer is full, then are refused.
 */
@MicronautTest
class DegradedNeighboursTest extends EdgeTestBase {

    @Inject
    AuditTrail trail;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "micronaut.http.services.backlog.read-timeout", "500ms",
                "micronaut.http.services.audit.read-timeout", "500ms",
                // Only the audit producer is pointed at a broker that is not there.
                "kafka.producers.mcp-audit.bootstrap.servers", "127.0.0.1:1",
                "backlogmcp.edge.audit-buffer", "4");
    }

    private McpHttp.Reply getItem() {
        return http.mcp(PROJECT, ownerToken(), request(1, "tools/call", params("name", "get_item", "arguments", Map.of("id", "itm_1"))));
    }

    @Test
    void backlogWhenSlowThenUpstreamUnavailableWithinTimeoutAndRecoversWithoutRestart() {
        http.mcp(PROJECT, ownerToken(), request(0, "tools/list", null)); // catalog loaded while backlog is healthy
        fakes.backlogDelayMs = 3000;
        long start = System.nanoTime();
        McpHttp.Reply slow = getItem();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, slow.status(), slow.body());
        assertEquals("UPSTREAM_UNAVAILABLE", slow.errorType());
        assertTrue(elapsedMs < 2000, "took " + elapsedMs + " ms");
        // backlog-service got the call and may run it after the edge gave up (the fake does): its slot stays spent,
        // so a slow neighbour can never let a project exceed its limit.
        assertEquals(1, quotaSpent());
        fakes.backlogDelayMs = 0;
        McpHttp.Reply recovered = http.mcp(PROJECT, ownerToken(), request(2, "tools/list", null));
        assertEquals(200, recovered.status());
        assertTrue(recovered.json().containsKey("result"), recovered.body());
    }

    @Test
    void auditWhenSlowThenUpstreamUnavailableAndToolNotRun() {
        fakes.auditDelayMs = 3000;
        McpHttp.Reply r = getItem();
        assertEquals("UPSTREAM_UNAVAILABLE", r.errorType());
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void kafkaWhenUnreachableThenCallsRunUntilAuditBufferFullThenRefused() {
        int guard = 0;
        while (trail.pending() < 4 && guard++ < 10) {
            McpHttp.Reply ok = getItem();
            assertEquals(false, ok.result().get("isError"), ok.body());
        }
        int executed = fakes.toolCalls.size();
        McpHttp.Reply refused = getItem();
        assertEquals("UPSTREAM_UNAVAILABLE", refused.errorType());
        assertEquals(executed, fakes.toolCalls.size(), "a call that cannot be audited must not run");
    }
}
