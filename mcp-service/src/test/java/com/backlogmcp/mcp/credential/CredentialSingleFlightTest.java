package com.backlogmcp.mcp.credential;

import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.KafkaTopics;
import com.backlogmcp.mcp.support.McpHttp;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PUBLIC_URL;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent requests that miss the credential caches together cost auth-service one call, not one each
 * (the stampede the full-stack benchmark found: 9–17 introspections per 30 s at 16 clients). The fake
 * auth-service holds an introspection at a gate so the concurrent callers really overlap.
 */
@MicronautTest
class CredentialSingleFlightTest extends EdgeTestBase {

    private static final int CLIENTS = 16;

    @Inject
    ApiKeyIntrospector introspector;

    @Inject
    GrantDenylist denylist;

    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

    @Override
    protected Map<String, String> extraProperties() {
        // The gate holds an introspection while the test publishes a revocation on Kafka: give it room.
        return Map.of("micronaut.http.services.auth.read-timeout", "15s",
                "backlogmcp.edge.upstream-timeout", "15s");
    }

    @BeforeAll
    void topics() {
        KafkaTopics.create(Topics.GRANTS, Topics.TOOL_CALLS);
    }

    private List<CompletableFuture<McpHttp.Reply>> concurrently(int n, String token) {
        List<CompletableFuture<McpHttp.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            replies.add(CompletableFuture.supplyAsync(() -> http.mcp(PROJECT, token, request(id, "ping", null)), clients));
        }
        return replies;
    }

    @Test
    void introspectionWhenConcurrentFirstCallsWithSameKeyThenAuthAskedOnce() throws Exception {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        CountDownLatch gate = new CountDownLatch(1);
        fakes.introspectionGate = gate;
        int before = fakes.introspections.get();

        List<CompletableFuture<McpHttp.Reply>> replies = concurrently(CLIENTS, key);
        waitFor(() -> fakes.introspections.get() > before, "the first introspection never reached auth-service");
        Thread.sleep(500); // the other callers arrive while the first introspection is held
        gate.countDown();

        for (CompletableFuture<McpHttp.Reply> r : replies) {
            McpHttp.Reply reply = r.get();
            assertEquals(200, reply.status(), reply.body());
            assertEquals(Map.of(), reply.result());
        }
        assertEquals(1, fakes.introspections.get() - before, "concurrent misses for one key must share one introspection");
    }

    @Test
    void introspectionWhenAuthFailsThenWaitersShareTheFailureAndNextCallAsksAgain() throws Exception {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        fakes.introspectionStatus = 503;
        CountDownLatch gate = new CountDownLatch(1);
        fakes.introspectionGate = gate;
        int before = fakes.introspections.get();

        List<CompletableFuture<McpHttp.Reply>> replies = concurrently(CLIENTS / 2, key);
        waitFor(() -> fakes.introspections.get() > before, "the first introspection never reached auth-service");
        Thread.sleep(500);
        gate.countDown();
        for (CompletableFuture<McpHttp.Reply> r : replies) {
            McpHttp.Reply reply = r.get();
            assertEquals(200, reply.status(), reply.body());
            assertEquals("UPSTREAM_UNAVAILABLE", reply.errorType());
        }
        assertEquals(1, fakes.introspections.get() - before);

        fakes.introspectionGate = null;
        fakes.introspectionStatus = 200;
        McpHttp.Reply recovered = http.mcp(PROJECT, key, request(99, "ping", null));
        assertEquals(200, recovered.status(), recovered.body());
        assertEquals(Map.of(), recovered.result(), "a failed introspection must not be cached");
        assertEquals(2, fakes.introspections.get() - before);
    }

    @Test
    void introspectionWhenKeyRevokedWhileInFlightThenActiveAnswerIsNotCached() throws Exception {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        String keyId = (String) fakes.apiKeys.get(key).get("key_id");
        CountDownLatch gate = new CountDownLatch(1);
        fakes.introspectionGate = gate;
        int before = fakes.introspections.get();

        CompletableFuture<McpHttp.Reply> inFlight = concurrently(1, key).getFirst();
        // auth-service has decided "active" and is holding the answer; now the key is deleted and the event lands.
        waitFor(() -> fakes.introspections.get() > before, "the introspection never reached auth-service");
        fakes.apiKeys.get(key).put("active", false);
        KafkaTopics.publish(Topics.GRANTS, keyId, new GrantEvent(UUID.randomUUID().toString(), Instant.now(),
                GrantEvent.KEY_REVOKED, null, keyId, OWNER, PROJECT, null, null, "user"));
        waitFor(() -> denylist.isRevoked(keyId), "the revocation never reached the denylist");
        fakes.introspectionGate = null;
        gate.countDown();

        assertEquals(401, inFlight.get().status(), "the stale active answer must not let the revoked key through");
        // Had the stale answer been cached, this would return the principal without asking auth-service.
        assertThrows(CredentialRejected.class, () -> introspector.verify(key));
        assertEquals(2, fakes.introspections.get() - before, "the stale active answer must not have been cached");
    }

    @Test
    void introspectionWhenKeyRevokedThenCachedAnswerForgotten() throws Exception {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        String keyId = (String) fakes.apiKeys.get(key).get("key_id");
        int before = fakes.introspections.get();
        introspector.verify(key);
        introspector.verify(key);
        assertEquals(1, fakes.introspections.get() - before, "answer cached");

        fakes.apiKeys.get(key).put("active", false);
        KafkaTopics.publish(Topics.GRANTS, keyId, new GrantEvent(UUID.randomUUID().toString(), Instant.now(),
                GrantEvent.KEY_REVOKED, null, keyId, OWNER, PROJECT, null, null, "user"));
        waitFor(() -> denylist.isRevoked(keyId), "the revocation never reached the denylist");
        assertThrows(CredentialRejected.class, () -> introspector.verify(key));
        assertEquals(2, fakes.introspections.get() - before, "the revocation must evict the cached answer");
    }

    @Test
    void jwksWhenConcurrentFirstTokensThenFetchedOnceAndUnknownKidBurstsRefetchAtMostOnce() throws Exception {
        // Nimbus' caching source refreshes under a lock and re-checks the cache once it holds it; refetches for an
        // unknown kid are rate-limited (MCP_JWKS_REFETCH_MINIMUM, 10 s here). Only this test uses JWTs in this
        // context, so the JWKS has not been fetched yet when the first burst arrives.
        int before = fakes.jwksFetches.get();
        for (CompletableFuture<McpHttp.Reply> r : concurrently(CLIENTS, ownerToken())) {
            McpHttp.Reply reply = r.get();
            assertEquals(200, reply.status(), reply.body());
        }
        assertEquals(1, fakes.jwksFetches.get() - before, "concurrent first tokens must share one JWKS fetch");

        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger-" + UUID.randomUUID()).generate();
        String forged = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, "gid_x",
                Instant.now().plus(5, ChronoUnit.MINUTES), stranger);
        for (int burst = 0; burst < 2; burst++) {
            for (CompletableFuture<McpHttp.Reply> r : concurrently(CLIENTS, forged)) {
                assertEquals(401, r.get().status());
            }
        }
        int refetches = fakes.jwksFetches.get() - before - 1;
        assertTrue(refetches <= 1, "bursts of an unknown kid must cost at most one JWKS refetch, got " + refetches);
    }

    private static void waitFor(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.sleep(10);
        }
    }
}
