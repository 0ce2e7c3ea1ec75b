package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.MutableClock;
import com.backlogmcp.audit.TestDb;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.ToolCallEvents;
import com.backlogmcp.contracts.internal.QuotaLease;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.audit.quota.LeaseCalls.dailyOutstanding;
import static com.backlogmcp.audit.quota.LeaseCalls.dailyUsed;
import static com.backlogmcp.audit.quota.LeaseCalls.settled;
import static com.backlogmcp.audit.quota.LeaseCalls.spent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A holder that dies with a daily block: the block is settled from the audit events that name it, once it expired,
 * {@code reclaimAfter} passed and the audit consumer has stored everything Kafka held; never earlier.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseReclaimTest implements TestPropertyProvider {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant START = Instant.parse("2026-11-22T12:00:30Z");

    final ToolCallEvents events = new ToolCallEvents();

    @Inject
    EmbeddedServer server;
    @Inject
    MutableClock clock;
    @Inject
    ObjectMapper json;
    @Inject
    LeaseReclaimer reclaimer;
    @Inject
    Admin admin;
    @Inject
    TransactionOperations<Connection> transactions;
    @Inject
    LeaseSettings settings;
    @Inject
    MeterRegistry meters;
    @Inject
    AuditWatermark watermark;

    LeaseCalls leases;
    String project;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("test.mutable-clock", "true");
        p.put("backlogmcp.audit-log.group-id", "lease-reclaim-test-" + UUID.randomUUID());
        p.put("backlogmcp.quota.lease.reclaim-enabled", "false");
        return p;
    }

    @BeforeAll
    void client() {
        leases = new LeaseCalls(server.getURI(), json);
    }

    private int round;

    /** Each test in its own later hour: the reclaimer's watermark only moves forward, as real time does. */
    @BeforeEach
    void freshProject() {
        clock.set(START.plus(Duration.ofHours(2L * ++round)));
        project = "prj_" + UUID.randomUUID();
    }

    @AfterAll
    void close() {
        events.close();
    }

    @Test
    void dailyBlockWhenHolderDiesThenAuditedSlotsChargedAndTheRestReclaimed() throws Exception {
        QuotaLease.Block block = leases.daily(project, "pro", "edge_dead", 30).daily();
        assertEquals(30, block.granted());
        for (int i = 0; i < 7; i++) {
            send(project + "-e" + i, block.blockId());
        }
        send(project + "-e0", block.blockId()); // a redelivery: stored and counted once
        events.flush();
        awaitAudited(block.blockId(), 7);

        // expired, but its holder may still return it: not reclaimed yet
        clock.set(block.expiresAt().plus(settings.reclaimAfter()).minusSeconds(1));
        reclaimer.reclaimExpired();
        reclaimer.reclaimExpired();
        assertEquals(-1, spent(block.blockId()));
        assertEquals(30, dailyOutstanding(project));

        clock.set(block.expiresAt().plus(settings.reclaimAfter()));
        awaitReclaimed(block.blockId());
        assertEquals(7, spent(block.blockId()));
        assertEquals(7, dailyUsed(project));
        assertEquals(0, dailyOutstanding(project));
        assertEquals(293, leases.daily(project, "pro", "edge_alive", 1).daily().remaining() + 1);

        // the holder comes back and returns it after all: the reclaim stands
        assertEquals(204, leases.giveBack(block.blockId(), 30).statusCode());
        assertEquals(7, spent(block.blockId()));
    }

    @Test
    void eventWhenStoredAfterItsBlockWasReclaimedThenChargedLate() throws Exception {
        QuotaLease.Block block = leases.daily(project, "pro", "edge_dead", 10).daily();
        send(project + "-a", block.blockId());
        events.flush();
        awaitAudited(block.blockId(), 1);
        clock.set(block.expiresAt().plus(settings.reclaimAfter()));
        awaitReclaimed(block.blockId());
        assertEquals(1, dailyUsed(project));
        double before = meters.counter("audit.quota.lease.late.charges").count();

        send(project + "-b", block.blockId());
        send(project + "-c", block.blockId());
        events.flush();
        awaitAudited(block.blockId(), 3);
        assertEquals(3, spent(block.blockId()));
        assertEquals(3, dailyUsed(project));
        assertEquals(0, dailyOutstanding(project));
        assertEquals(before + 2, meters.counter("audit.quota.lease.late.charges").count());
    }

    @Test
    void dailyBlockWhenReturnedThenLaterEventsChangeNothing() throws Exception {
        QuotaLease.Block block = leases.daily(project, "pro", "edge_alive", 5).daily();
        assertEquals(204, leases.giveBack(block.blockId(), 3).statusCode());
        send(project + "-a", block.blockId());
        send(project + "-b", block.blockId());
        events.flush();
        awaitAudited(block.blockId(), 2);
        assertEquals(2, dailyUsed(project));
        assertEquals(2, spent(block.blockId()));
    }

    @Test
    void dailyBlockWhenAuditConsumerHasNotCaughtUpThenNotReclaimed() throws Exception {
        QuotaLease.Block block = leases.daily(project, "pro", "edge_dead", 10).daily();
        send(project + "-a", block.blockId());
        events.flush();
        // a group that never consumed: Kafka holds events it has not stored, so its watermark never moves
        AuditWatermark lagging = new AuditWatermark(admin, "never-consumed-" + UUID.randomUUID(), clock, meters);
        LeaseReclaimer blind = new LeaseReclaimer(transactions, lagging, settings, clock, meters);
        clock.set(block.expiresAt().plus(Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            blind.reclaimExpired();
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(-1, spent(block.blockId()));
        assertEquals(10, dailyOutstanding(project));
        assertEquals(Instant.EPOCH, lagging.current());
    }

    @Test
    void limitWhenOneHolderDiesMidBlockThenTheOthersGetExactlyTheRest() throws Exception {
        // edge A takes a block of the free plan's 25, runs one call, and dies with the rest of its block
        QuotaLease.Block dead = leases.daily(project, "free", "edge_a", 50).daily();
        assertEquals(3, dead.granted());
        send(project + "-a1", dead.blockId());
        events.flush();
        awaitAudited(dead.blockId(), 1);

        // edge B spends everything it can get, returning each block spent
        int spentByB = drain("edge_b");
        assertEquals(22, spentByB);
        assertTrue(leases.daily(project, "free", "edge_b", 50).daily().refused());

        // once A's block is reclaimed, its two unspent slots come back, and only those
        clock.set(dead.expiresAt().plus(settings.reclaimAfter()));
        awaitReclaimed(dead.blockId());
        assertEquals(2, drain("edge_b"));
        assertEquals(25, dailyUsed(project));
        assertEquals(0, dailyOutstanding(project));
    }

    @Test
    void watermarkWhenConsumerCaughtUpThenKafkaReachableAndNoLag() throws Exception {
        send(project + "-w", "qb_none");
        events.flush();
        TestDb.awaitCount(WAIT, n -> n == 1, "SELECT count(*) FROM audit_log WHERE event_id = ?", project + "-w");
        long deadline = System.nanoTime() + WAIT.toNanos();
        Instant before = clock.instant();
        watermark.advance();
        while (meters.get("audit.log.consumer.lag").gauge().value() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            watermark.advance();
        }
        assertEquals(0, meters.get("audit.log.consumer.lag").gauge().value());
        assertEquals(1, meters.get("audit.kafka.reachable").gauge().value());
        assertTrue(!watermark.current().isBefore(before), "watermark " + watermark.current());
    }

    private int drain(String holder) {
        int spent = 0;
        QuotaLease.Block block;
        while (!(block = leases.daily(project, "free", holder, 50).daily()).refused()) {
            spent += block.granted();
            assertEquals(204, leases.giveBack(block.blockId(), 0).statusCode());
        }
        return spent;
    }

    private void send(String eventId, String blockId) {
        String event = ToolCallEvents.json(eventId, clock.instant(), project, "usr_a", "gr_" + project, null,
                "get_item", "ok");
        events.send(project, event.substring(0, event.length() - 1) + ",\"quotaBlockId\":\"" + blockId + "\"}");
    }

    private static void awaitAudited(String blockId, long n) throws InterruptedException {
        assertEquals(n, TestDb.awaitCount(WAIT, c -> c >= n,
                "SELECT audited FROM quota_lease WHERE block_id = ?", blockId));
    }

    /** Reclaim passes until the watermark has passed the block (the consumer commits a little after storing). */
    private void awaitReclaimed(String blockId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (settled(blockId, "reclaimed") == 0 && System.nanoTime() < deadline) {
            reclaimer.reclaimExpired();
            Thread.sleep(100);
        }
        assertTrue(settled(blockId, "reclaimed") == 1, "block " + blockId + " not reclaimed");
    }
}
