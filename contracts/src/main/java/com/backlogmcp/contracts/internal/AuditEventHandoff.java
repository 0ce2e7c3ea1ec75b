package com.backlogmcp.contracts.internal;

import com.backlogmcp.contracts.events.ToolCallEvent;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Body of audit-service {@code POST /internal/audit-log/events}: tool-call events an edge could not deliver to
 * {@code mcp.tool-calls.v1} (Kafka away for too long, or the edge shutting down). They are stored exactly like the
 * same events read from Kafka, keyed by {@code eventId}: an event handed over here and also delivered through Kafka
 * (an ack lost in the outage) is stored once. At most {@link #MAX_EVENTS} events per request; the answer (200) is a
 * {@link Stored}.
 */
@Serdeable
public record AuditEventHandoff(List<ToolCallEvent> events) {

    public static final int MAX_EVENTS = 500;

    /** How many of the events were new and how many were already stored (a retry, or Kafka was first). */
    @Serdeable
    public record Stored(int stored, int alreadyStored) {
    }
}
