package com.backlogmcp.auth.events;

import com.backlogmcp.auth.GrantEventsReader;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.support.JdbcStatements;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transactional outbox of {@code auth.grants.v1} against real PostgreSQL and Kafka. Each test starts its own
 * application context(s), so the one with an unreachable Kafka runs with no healthy relay beside it.
 */
class GrantOutboxTest {

    private static ApplicationContext start(Map<String, String> extra) {
        Map<String, Object> props = new HashMap<>(TestStack.properties());
        props.putAll(extra);
        return ApplicationContext.builder().environments("test").properties(props).start();
    }

    private static Grant newGrant(ApplicationContext ctx) {
        return ctx.getBean(GrantStore.class).create("usr_acme_member", "client-outbox-test", "prj_acme", "ws_acme",
                "http://mcp.test/p/prj_acme/mcp", "backlog:read", "http://127.0.0.1:1/cb");
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(ApplicationContext ctx) {
        return ctx.getBean(TransactionOperations.class);
    }

    /** Outbox rows for a credential: {@code type|published}, oldest first. */
    private static List<String> outboxRows(ApplicationContext ctx, String credentialId) {
        return ctx.getBean(JdbcStatements.class).prepareStatement(
                "select payload->>'type', published_at is not null from outbox where event_key = ? order by seq", ps -> {
                    ps.setString(1, credentialId);
                    List<String> out = new java.util.ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1) + "|" + (rs.getBoolean(2) ? "published" : "pending"));
                        }
                    }
                    return out;
                });
    }

    private static List<String> awaitOutboxRows(ApplicationContext ctx, String credentialId, List<String> expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        List<String> rows = outboxRows(ctx, credentialId);
        while (!rows.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            rows = outboxRows(ctx, credentialId);
        }
        return rows;
    }

    @Test
    void changeWhenCommittedThenEventPublishedAfterCommit() throws Exception {
        try (ApplicationContext ctx = start(Map.of())) {
            GrantEvents events = ctx.getBean(GrantEvents.class);
            Grant g = tx(ctx).executeWrite(status -> {
                Grant created = newGrant(ctx);
                grantCreated(events, created);
                return created;
            });
            assertTrue(ctx.getBean(GrantRevocations.class).revoke(g.id(), GrantRevocations.USER));
            assertEquals(List.of("grant.created:null", "grant.revoked:user"), GrantEventsReader.awaitEventsFor(g.id(), 2));
            assertEquals(List.of("grant.created|published", "grant.revoked|published"),
                    awaitOutboxRows(ctx, g.id(), List.of("grant.created|published", "grant.revoked|published")),
                    "rows are marked published once Kafka acknowledged them");
            assertFalse(ctx.getBean(GrantRevocations.class).revoke(g.id(), GrantRevocations.USER), "already revoked");
            Thread.sleep(1500); // a sweep or two
            assertEquals(2, outboxRows(ctx, g.id()).size(), "a second revocation of the same grant writes no event");
        }
    }

    @Test
    void changeWhenTransactionRolledBackThenNoEvent() {
        try (ApplicationContext ctx = start(Map.of())) {
            GrantEvents events = ctx.getBean(GrantEvents.class);
            String[] rolledBack = new String[1];
            assertThrows(IllegalStateException.class, () -> tx(ctx).executeWrite(status -> {
                Grant g = newGrant(ctx);
                rolledBack[0] = g.id();
                grantCreated(events, g);
                throw new IllegalStateException("the change fails after its event was written");
            }));
            // A marker committed afterwards: once it is on the topic, the relay has passed the rolled-back one's place.
            Grant marker = tx(ctx).executeWrite(status -> {
                Grant g = newGrant(ctx);
                grantCreated(events, g);
                return g;
            });
            assertEquals(List.of("grant.created:null"), GrantEventsReader.awaitEventsFor(marker.id(), 1));
            assertTrue(ctx.getBean(GrantStore.class).find(rolledBack[0]).isEmpty(), "the grant was rolled back");
            assertEquals(List.of(), outboxRows(ctx, rolledBack[0]), "its event was rolled back with it");
            assertEquals(List.of(), GrantEventsReader.eventsFor(rolledBack[0]));
        }
    }

    @Test
    void eventWhenNoTransactionThenRefused() {
        try (ApplicationContext ctx = start(Map.of())) {
            Grant g = newGrant(ctx);
            assertThrows(IllegalStateException.class, () -> grantCreated(ctx.getBean(GrantEvents.class), g));
            assertEquals(List.of(), outboxRows(ctx, g.id()));
        }
    }

    @Test
    void revocationWhenCallerTransactionRollsBackThenRevocationAndEventStand() {
        try (ApplicationContext ctx = start(Map.of())) {
            Grant g = newGrant(ctx);
            // Like a token request that fails after detecting a replayed code: its own work rolls back, the revocation not.
            assertThrows(IllegalStateException.class, () -> tx(ctx).executeWrite(status -> {
                ctx.getBean(GrantRevocations.class).revoke(g.id(), GrantRevocations.CODE_REPLAY);
                throw new IllegalStateException("the request fails");
            }));
            assertFalse(ctx.getBean(GrantStore.class).find(g.id()).orElseThrow().active());
            assertEquals(List.of("grant.revoked:code_replay"), GrantEventsReader.awaitEventsFor(g.id(), 1));
        }
    }

    @Test
    void revocationWhenKafkaUnreachableThenPublishedOnceRelayReachesKafka() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String grantId;
        try (ApplicationContext offline = start(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:" + closedPort,
                "kafka.producers.default.max.block.ms", "1000",
                "backlogmcp.outbox.send-timeout", "2s"))) {
            Grant g = newGrant(offline);
            grantId = g.id();
            // The revocation itself does not wait for Kafka and is not undone by its absence.
            assertTrue(offline.getBean(GrantRevocations.class).revoke(grantId, GrantRevocations.REFRESH_REUSE));
            assertFalse(offline.getBean(GrantStore.class).find(grantId).orElseThrow().active());
            Thread.sleep(3000); // the wake-up and a few sweeps try, and fail, to publish
            assertEquals(List.of("grant.revoked|pending"), outboxRows(offline, grantId));
            assertEquals(List.of(), GrantEventsReader.eventsFor(grantId));
            // Still ready to serve (Kafka is not a readiness dependency); what waits is counted in the metrics.
            var server = offline.getBean(io.micronaut.runtime.server.EmbeddedServer.class).start();
            var http = java.net.http.HttpClient.newHttpClient();
            var ready = http.send(java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/health/readiness")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/prometheus")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var pending = java.util.regex.Pattern.compile("(?m)^outbox_pending(?:\\{[^}]*})? ([0-9.]+)$").matcher(metrics);
            assertTrue(pending.find() && Double.parseDouble(pending.group(1)) >= 1, metrics);
            assertTrue(metrics.contains("outbox_oldest_pending_seconds"), metrics);
        }
        // A relay that reaches Kafka (here: another replica starting) publishes what was left pending.
        try (ApplicationContext online = start(Map.of())) {
            assertEquals(List.of("grant.revoked:refresh_reuse"), GrantEventsReader.awaitEventsFor(grantId, 1));
            assertEquals(List.of("grant.revoked|published"), awaitOutboxRows(online, grantId, List.of("grant.revoked|published")));
        }
    }

    private static void grantCreated(GrantEvents events, Grant g) {
        events.grantCreated(g.id(), g.userId(), g.projectId(), g.workspaceId(), g.clientId());
    }
}
