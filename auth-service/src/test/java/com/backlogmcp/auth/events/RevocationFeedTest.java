package com.backlogmcp.auth.events;

import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.backlogmcp.embedded.TestInfrastructure;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /internal/revocations}, the edges' way to learn revocations when {@code auth.grants.v1} cannot tell them:
 * every committed revocation is listed after the cursor, creations are not, and the cursor never moves past a
 * position whose transaction may still commit.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationFeedTest implements TestPropertyProvider {

    private static final String PATH = "/internal/revocations";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String edgeCredential = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.AUTH);

    @Inject
    EmbeddedServer server;
    @Inject
    GrantStore grants;
    @Inject
    GrantRevocations revocations;
    @Inject
    GrantEvents events;
    @Inject
    TransactionOperations<Connection> tx;
    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        return new HashMap<>(TestStack.properties());
    }

    private record Page(List<Map<String, Object>> revocations, long next, boolean more) {
        List<String> ids() {
            return revocations == null ? List.of() : revocations.stream().map(r -> (String) r.get("credentialId")).toList();
        }
    }

    private HttpResponse<String> get(String query, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + PATH + query));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Page page(String query) {
        HttpResponse<String> r = get(query, edgeCredential);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        try {
            Map<String, Object> body = json.readValue(r.body(), Map.class);
            return new Page((List<Map<String, Object>>) body.get("revocations"), ((Number) body.get("next")).longValue(),
                    (Boolean) body.get("more"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor at the end of the feed now, found the way an edge starts: from an instant. */
    private long end() {
        long cursor = page("?since=" + Instant.now().minusSeconds(1)).next();
        Page p = page("?after=" + cursor);
        while (p.next() != cursor) {
            cursor = p.next();
            p = page("?after=" + cursor);
        }
        return cursor;
    }

    private Grant newGrant() {
        return grants.create("usr_feed", "client-feed-test", "prj_acme", "ws_acme", "http://mcp.test/p/prj_acme/mcp",
                "backlog:read", "http://127.0.0.1:1/cb");
    }

    private static Connection connect() throws SQLException {
        TestInfrastructure infra = TestInfrastructure.get();
        Connection c = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
        try (Statement s = c.createStatement()) {
            s.execute("set search_path to auth");
        }
        return c;
    }

    @Test
    void revocationsWhenGrantAndKeyRevokedThenListedAfterTheCursorAndCreationsNot() {
        long cursor = end();
        Grant grant = tx.executeWrite(status -> {
            Grant g = newGrant();
            events.grantCreated(g.id(), g.userId(), g.projectId(), g.workspaceId(), g.clientId());
            return g;
        });
        assertTrue(revocations.revoke(grant.id(), GrantRevocations.USER));
        String keyId = "key_" + UUID.randomUUID();
        tx.executeWrite(status -> {
            events.keyRevoked(keyId, "usr_feed", "prj_acme", "ws_acme", "user");
            return null;
        });

        Page page = page("?after=" + cursor);
        assertEquals(List.of(grant.id(), keyId), page.ids());
        assertTrue(page.next() > cursor);
        assertFalse(page.more());
        assertEquals(List.of(), page("?after=" + page.next()).ids(), "nothing new after the cursor it gave");
        assertEquals(List.of(grant.id(), keyId), page("?since=" + Instant.now().minusSeconds(60)).ids().stream()
                .filter(id -> id.equals(grant.id()) || id.equals(keyId)).toList(), "an edge starting now sees them too");
    }

    @Test
    void cursorWhenAnEarlierTransactionIsStillOpenThenWaitsForItAndItsRevocationIsListedOnceCommitted() throws Exception {
        long cursor = end();
        Grant slow = newGrant();
        Grant fast = newGrant();
        try (Connection open = connect()) {
            open.setAutoCommit(false);
            try (PreparedStatement ps = open.prepareStatement("update grants set revoked_at = now(), revoke_reason = 'user' where id = ?")) {
                ps.setString(1, slow.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = open.prepareStatement(
                    "insert into outbox (event_id, topic, event_key, payload) values (?, 'auth.grants.v1', ?, ?::jsonb)")) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, slow.id());
                ps.setString(3, "{\"type\":\"grant.revoked\",\"grantId\":\"" + slow.id() + "\",\"at\":\"" + Instant.now() + "\"}");
                ps.executeUpdate(); // takes its position now, commits later
            }
            assertTrue(revocations.revoke(fast.id(), GrantRevocations.USER)); // a later position, committed first

            Page before = page("?after=" + cursor);
            assertEquals(List.of(fast.id()), before.ids(), "what committed is listed at once");
            assertEquals(cursor, before.next(), "the cursor waits at the open transaction's position");

            open.commit();
        }
        Page after = page("?after=" + cursor);
        assertEquals(List.of(slow.id(), fast.id()), after.ids());
        assertTrue(after.next() > cursor);
    }

    @Test
    void cursorWhenAPositionStaysEmptyLongerThanAnyTransactionThenMovesOn() throws Exception {
        long cursor = end();
        String grantId = "gid_" + UUID.randomUUID();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("select nextval(pg_get_serial_sequence('outbox', 'seq'))"); // a rolled-back insert's position
            try (PreparedStatement ps = c.prepareStatement("insert into outbox (event_id, topic, event_key, payload, created_at) "
                    + "values (?, 'auth.grants.v1', ?, ?::jsonb, now() - interval '2 minutes')")) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, grantId);
                ps.setString(3, "{\"type\":\"grant.revoked\",\"grantId\":\"" + grantId + "\"}");
                ps.executeUpdate();
            }
        }
        Page page = page("?after=" + cursor);
        assertEquals(List.of(grantId), page.ids());
        assertEquals(cursor + 2, page.next(), "the hole is older than any transaction: the cursor passes it");
    }

    @Test
    void pageWhenLimitReachedThenMoreAndTheRestOnTheNextPage() {
        long cursor = end();
        for (int i = 0; i < 3; i++) {
            assertTrue(revocations.revoke(newGrant().id(), GrantRevocations.USER));
        }
        Page first = page("?after=" + cursor + "&limit=2");
        assertEquals(2, first.ids().size());
        assertTrue(first.more());
        Page second = page("?after=" + first.next() + "&limit=2");
        assertEquals(1, second.ids().size());
        assertFalse(second.more());
    }

    @Test
    void requestWhenMalformedThen400AndNever500() {
        for (String query : List.of("", "?after=1&since=2026-01-01T00:00:00Z", "?after=-1", "?after=abc",
                "?after=99999999999999999999", "?after=0&limit=0", "?after=0&limit=1001", "?after=0&limit=x",
                "?since=yesterday", "?since=")) {
            HttpResponse<String> r = get(query, edgeCredential);
            assertEquals(400, r.statusCode(), query + " → " + r.body());
            assertTrue(r.body().contains("invalid_request"), r.body());
        }
        // instants PostgreSQL cannot store are clamped, not passed on
        assertEquals(200, get("?since=-999999999-01-01T00:00:00Z", edgeCredential).statusCode());
        assertEquals(200, get("?since=%2B999999999-12-31T23:59:59Z", edgeCredential).statusCode());
    }

    @Test
    void requestWhenNoOrForeignServiceCredentialThen401() {
        assertEquals(401, get("?after=0", null).statusCode());
        String forAudit = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.AUDIT);
        assertEquals(401, get("?after=0", forAudit).statusCode());
        String otherSecret = new ServiceTokens("another-service-secret-0123456789abcdef").mint(ServiceNames.MCP, ServiceNames.AUTH);
        assertEquals(401, get("?after=0", otherSecret).statusCode());
    }

    /** Not an assertion: what one poll that finds nothing costs, the steady state of every edge replica. */
    @Test
    void pollWhenNothingNewThenOneCheapRead() {
        long cursor = end();
        for (int i = 0; i < 50; i++) {
            page("?after=" + cursor); // warm-up
        }
        int polls = 500;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < polls; i++) {
            page("?after=" + cursor);
        }
        double meanMs = (System.nanoTime() - start) / 1e6 / polls;
        // client and server share this JVM: the CPU figure is an upper bound of the service's own
        double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6 / polls;
        System.out.printf("revocation poll with nothing new: %.2f ms wall, %.2f ms CPU (client + server) per poll over %d"
                + " sequential polls%n", meanMs, cpuMs, polls);
    }
}
