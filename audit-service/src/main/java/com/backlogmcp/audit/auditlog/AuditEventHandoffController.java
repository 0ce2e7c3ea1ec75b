package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.contracts.events.ToolCallEvent;
import com.backlogmcp.contracts.internal.AuditEventHandoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /internal/audit-log/events} (service credentials only, by the {@code /internal/**} filter): an edge
 * hands over the tool-call events it could not deliver to Kafka. They go through the same reader and the same writer
 * as the Kafka listener's, in one transaction, so the event id makes the two paths one: whichever stores an event
 * first wins and the other is a no-op, and a retried hand-over changes nothing.
 *
 * <p>All or nothing: an event that cannot be an audit row refuses the whole request (400 naming its index) before
 * anything is written, so the edge can keep the batch and deliver it through Kafka later, where the listener notes
 * such a record as a dead letter. An edge never sends one; a 400 here means a client bug, not an outage.
 */
@Controller("/internal/audit-log/events")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditEventHandoffController {

    private final ToolCallEventReader reader;
    private final AuditLogWriter writer;
    private final MeterRegistry meters;

    AuditEventHandoffController(ToolCallEventReader reader, AuditLogWriter writer, MeterRegistry meters) {
        this.reader = reader;
        this.writer = writer;
        this.meters = meters;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    AuditEventHandoff.Stored handOver(@Nullable @Body AuditEventHandoff body) {
        List<ToolCallEvent> events = body == null ? null : body.events();
        if (events == null || events.isEmpty()) {
            throw new InvalidRequestException("events must be a non-empty array");
        }
        if (events.size() > AuditEventHandoff.MAX_EVENTS) {
            throw new InvalidRequestException("at most " + AuditEventHandoff.MAX_EVENTS + " events per request");
        }
        List<IncomingEvent> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ToolCallEvent e = events.get(i);
            Optional<IncomingEvent> row = e == null ? Optional.empty() : reader.decode(e);
            if (row.isEmpty()) {
                throw new InvalidRequestException("events[" + i + "] is not a complete tool-call event");
            }
            rows.add(row.get());
        }
        int stored = writer.append(rows, List.of());
        // distinct event ids: a batch naming one event twice stores it once, and counts it once
        int distinct = (int) rows.stream().map(r -> r.entry().eventId()).distinct().count();
        meters.counter("audit.log.handoff.events", "result", "stored").increment(stored);
        meters.counter("audit.log.handoff.events", "result", "duplicate").increment(distinct - stored);
        return new AuditEventHandoff.Stored(stored, distinct - stored);
    }
}
