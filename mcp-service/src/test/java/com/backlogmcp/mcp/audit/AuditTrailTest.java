package com.backlogmcp.mcp.audit;

import com.backlogmcp.contracts.events.ToolCallEvent;
import org.junit.jupiter.api.Test;

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
}
