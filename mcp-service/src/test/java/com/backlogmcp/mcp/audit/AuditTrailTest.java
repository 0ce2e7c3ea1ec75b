package com.backlogmcp.mcp.audit;

import com.backlogmcp.contracts.events.ToolCallEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded audit buffer on its own, with a sink that can be made to fail (Kafka away) and recover. */
class AuditTrailTest {

    private static final class SwitchableSink implements AuditTrail.EventSink {
        volatile boolean up;
        final List<ToolCallEvent> stored = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<ToolCallEvent> store(List<ToolCallEvent> events) {
            if (!up) {
                return events;
            }
            stored.addAll(events);
            return List.of();
        }
    }

    private static ToolCallEvent event() {
        return new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), "prj", "ws", "usr", "client", "gid", null,
                "get_item", "hash", "ok", null, 3, "req");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean());
    }

    @Test
    void bufferWhenSinkDownThenHoldsEventsAndRefusesBeyondCapacity() {
        SwitchableSink sink = new SwitchableSink();
        try (AuditTrail trail = new AuditTrail(2, sink)) {
            assertTrue(trail.reserveSlot());
            trail.record(event());
            assertTrue(trail.reserveSlot());
            trail.record(event());
            assertFalse(trail.reserveSlot(), "a full buffer must refuse further calls");
            assertEquals(2, trail.pending());
            sink.up = true; // let close() drain
        }
    }

    @Test
    void bufferWhenSinkRecoversThenDeliversEverythingAndFreesSlots() throws InterruptedException {
        SwitchableSink sink = new SwitchableSink();
        try (AuditTrail trail = new AuditTrail(3, sink)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(trail.reserveSlot());
                trail.record(event());
            }
            Thread.sleep(300);
            assertTrue(sink.stored.isEmpty());
            sink.up = true;
            awaitTrue(() -> sink.stored.size() == 3);
            awaitTrue(() -> trail.pending() == 0);
            assertTrue(trail.reserveSlot());
            trail.releaseSlot();
        }
    }

    @Test
    void deniedCallWhenBufferFullThenItsRecordIsDroppedNotBlocking() {
        SwitchableSink sink = new SwitchableSink();
        try (AuditTrail trail = new AuditTrail(1, sink)) {
            assertTrue(trail.reserveSlot());
            trail.record(event());
            trail.recordIfRoom(event());
            assertEquals(1, trail.pending());
            sink.up = true;
        }
    }

    @Test
    void kafkaWhenAwayLongerThanTheHandoffBoundThenAuditServiceTakesTheEventsAndSlotsFree() throws InterruptedException {
        SwitchableSink kafka = new SwitchableSink();
        SwitchableSink auditService = new SwitchableSink();
        auditService.up = true;
        try (AuditTrail trail = new AuditTrail(3, kafka, auditService, Duration.ZERO, Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                assertTrue(trail.reserveSlot());
                trail.record(event());
            }
            awaitTrue(() -> trail.pending() == 0);
            assertEquals(3, auditService.stored.size());
            assertEquals(3, trail.handedOver());
            assertTrue(kafka.stored.isEmpty());
        }
    }

    @Test
    void kafkaWhenAwayShorterThanTheHandoffBoundThenEventsWaitAndCloseHandsEachOverOnce() throws InterruptedException {
        SwitchableSink kafka = new SwitchableSink();
        SwitchableSink auditService = new SwitchableSink();
        auditService.up = true;
        AuditTrail trail = new AuditTrail(10, kafka, auditService, Duration.ofHours(1), Duration.ofSeconds(5));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertTrue(trail.reserveSlot());
            ToolCallEvent e = event();
            ids.add(e.eventId());
            trail.record(e);
        }
        Thread.sleep(300); // the sender has offered them to Kafka at least once by now
        assertTrue(auditService.stored.isEmpty(), "handed over before the bound");

        trail.close();

        assertEquals(0, trail.pending());
        assertEquals(ids.stream().sorted().toList(),
                auditService.stored.stream().map(ToolCallEvent::eventId).sorted().toList(), "each event exactly once");
    }

    @Test
    void closeWhenKafkaAndAuditServiceBothAwayThenReturnsAtTheBudgetKeepingTheLostCount() {
        SwitchableSink kafka = new SwitchableSink();
        SwitchableSink auditService = new SwitchableSink();
        AuditTrail trail = new AuditTrail(5, kafka, auditService, Duration.ZERO, Duration.ofMillis(500));
        for (int i = 0; i < 5; i++) {
            assertTrue(trail.reserveSlot());
            trail.record(event());
        }
        long start = System.nanoTime();
        trail.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 5_000, "close took " + tookMs + " ms for a 500 ms budget");
        assertEquals(5, trail.pending(), "undelivered events are counted, not silently dropped");
    }
}
