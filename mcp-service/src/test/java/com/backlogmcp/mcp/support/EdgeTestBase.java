package com.backlogmcp.mcp.support;

import com.backlogmcp.mcp.TestStack;
import com.backlogmcp.mcp.quota.QuotaLeases;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

/** The edge started against real PostgreSQL/Kafka and the fake neighbours. Subclasses add properties. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EdgeTestBase implements TestPropertyProvider {

    protected final FakeNeighbours fakes = FakeNeighbours.get();

    @Inject
    protected EmbeddedServer server;

    @Inject
    protected QuotaLeases leases;

    protected McpHttp http;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.putAll(fakes.properties());
        p.putAll(extraProperties());
        return p;
    }

    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    @BeforeEach
    void resetFakes() {
        // Blocks leased in an earlier test go back first, so each test starts with the fake ledger's limits.
        leases.returnAll();
        fakes.reset();
        http = new McpHttp(server.getURL().toString());
    }

    /** Daily quota the edge spent since the test began (gives the edge's blocks back to count them). */
    protected int quotaSpent() {
        leases.returnAll();
        return fakes.quotaSpent();
    }

    /** Forgets the quota spent so far (blocks given back first). */
    protected void forgetQuota() {
        leases.returnAll();
        fakes.forgetQuota();
    }

    protected String ownerToken() {
        return fakes.token(FakeNeighbours.OWNER, FakeNeighbours.PROJECT, FakeNeighbours.ALL_SCOPES);
    }

    protected static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
