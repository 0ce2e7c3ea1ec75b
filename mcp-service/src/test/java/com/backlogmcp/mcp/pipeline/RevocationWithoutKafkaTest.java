package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.mcp.TestStack;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PUBLIC_URL;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka unreachable for every edge replica (all Kafka settings point at a closed port), so {@code auth.grants.v1}
 * tells them nothing: a grant or an API key revoked on auth-service is still refused at both replicas within a
 * second, because each asks auth-service's revocation feed ({@code GET /internal/revocations}, the boundary's fake
 * here; the feed itself is auth-service's {@code RevocationFeedTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationWithoutKafkaTest {

    private static final Duration PROMISE = Duration.ofSeconds(1);

    private final FakeNeighbours fakes = FakeNeighbours.get();
    private EmbeddedServer first;
    private EmbeddedServer second;

    private EmbeddedServer replica() {
        Map<String, Object> p = new HashMap<>(TestStack.properties());
        p.putAll(fakes.properties());
        p.put("kafka.bootstrap.servers", "127.0.0.1:1");
        return ApplicationContext.run(EmbeddedServer.class, p);
    }

    @BeforeAll
    void startTwoReplicas() {
        fakes.reset();
        first = replica();
        second = replica();
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    private List<McpHttp> replicas() {
        return List.of(new McpHttp(first.getURL().toString()), new McpHttp(second.getURL().toString()));
    }

    private static int ping(McpHttp edge, String credential) {
        return edge.mcp(PROJECT, credential, request(1, "ping", null)).status();
    }

    /** Polls each replica until it refuses the credential, for at most the promised second after the revocation. */
    private static void assertRefusedWithinPromise(List<McpHttp> edges, String credential, long revokedAtNanos)
            throws InterruptedException {
        long deadline = revokedAtNanos + PROMISE.toNanos();
        for (McpHttp edge : edges) {
            int status = ping(edge, credential);
            while (status != 401 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                status = ping(edge, credential);
            }
            assertEquals(401, status, "a replica still accepted the revoked credential one second after the revocation");
        }
        System.out.printf("revocation without Kafka: refused at %d replica(s) %d ms after it%n", edges.size(),
                (System.nanoTime() - revokedAtNanos) / 1_000_000);
    }

    @Test
    void grantWhenRevokedWhileKafkaAwayThenBothReplicasRefuseWithinOneSecond() throws InterruptedException {
        String grantId = "gid_" + UUID.randomUUID();
        String token = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, grantId,
                Instant.now().plus(10, ChronoUnit.MINUTES), fakes.signingKey());
        for (McpHttp edge : replicas()) {
            assertEquals(200, ping(edge, token)); // verified and cached at both
        }
        fakes.revoke(grantId);
        assertRefusedWithinPromise(replicas(), token, System.nanoTime());
    }

    @Test
    void apiKeyWhenRevokedWhileKafkaAwayThenBothReplicasRefuseWithinOneSecond() throws InterruptedException {
        String key = fakes.apiKey(OWNER, ALL_SCOPES, PROJECT, null);
        String keyId = (String) fakes.apiKeys.get(key).get("key_id");
        for (McpHttp edge : replicas()) {
            assertEquals(200, ping(edge, key)); // introspected and cached (up to 30 s) at both
        }
        fakes.apiKeys.get(key).put("active", false); // what auth-service's introspection now answers
        fakes.revoke(keyId);
        assertRefusedWithinPromise(replicas(), key, System.nanoTime());
    }

    @Test
    void replicaWhenStartedAfterARevocationWhileKafkaAwayThenRefusesIt() throws InterruptedException {
        String grantId = "gid_" + UUID.randomUUID();
        String token = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, grantId,
                Instant.now().plus(10, ChronoUnit.MINUTES), fakes.signingKey());
        fakes.revoke(grantId);
        EmbeddedServer late = replica();
        try {
            // its first poll asks for the revocations of the denylist-retention window
            assertRefusedWithinPromise(List.of(new McpHttp(late.getURL().toString())), token, System.nanoTime());
        } finally {
            late.close();
        }
        assertTrue(fakes.revocationPolls.get() > 0);
    }
}
