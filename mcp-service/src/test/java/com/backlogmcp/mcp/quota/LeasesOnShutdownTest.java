package com.backlogmcp.mcp.quota;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A replica that stops gracefully gives every unused slot back to the ledger; what it spent stays spent. */
@MicronautTest
class LeasesOnShutdownTest extends EdgeTestBase {

    @Test
    void shutdownWhenSlotsHeldThenUnusedOnesGoBackToTheLedger() {
        EmbeddedServer replica = ApplicationContext.run(EmbeddedServer.class, new HashMap<String, Object>(getProperties()));
        McpHttp edge = new McpHttp(replica.getURL().toString());
        String token = ownerToken();
        for (int i = 0; i < 3; i++) {
            McpHttp.Reply r = edge.mcp(PROJECT, token, request(i, "tools/call", params("name", "get_item", "arguments", Map.of())));
            assertEquals(false, r.result().get("isError"), r.body());
        }
        assertTrue(replica.getApplicationContext().getBean(QuotaLeases.class).heldForProject(PROJECT) > 0,
                "the replica holds slots ahead of need");
        replica.close();
        assertEquals(3, quotaSpent(), "after the replica stopped, the ledger counts exactly the three calls it ran");
    }
}
