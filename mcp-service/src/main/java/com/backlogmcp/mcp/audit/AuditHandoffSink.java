package com.backlogmcp.mcp.audit;

import com.backlogmcp.contracts.events.ToolCallEvent;
import com.backlogmcp.contracts.internal.AuditEventHandoff;
import com.backlogmcp.mcp.neighbour.AuditClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * audit-service's {@code POST /internal/audit-log/events}, in requests of at most {@link AuditEventHandoff#MAX_EVENTS}.
 * A request either stores all its events or none, so what this answers as not stored is exactly what must be kept.
 */
final class AuditHandoffSink implements AuditTrail.EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(AuditHandoffSink.class);

    private final AuditClient audit;

    AuditHandoffSink(AuditClient audit) {
        this.audit = audit;
    }

    @Override
    public List<ToolCallEvent> store(List<ToolCallEvent> events) {
        for (int from = 0; from < events.size(); from += AuditEventHandoff.MAX_EVENTS) {
            List<ToolCallEvent> chunk = events.subList(from, Math.min(events.size(), from + AuditEventHandoff.MAX_EVENTS));
            try {
                audit.handOver(new AuditEventHandoff(List.copyOf(chunk)));
            } catch (RuntimeException e) {
                LOG.warn("audit-service did not take {} audit events ({}{}); they stay buffered", events.size() - from,
                        e.getMessage(), e.getCause() == null ? "" : ": " + e.getCause());
                return List.copyOf(events.subList(from, events.size()));
            }
        }
        return List.of();
    }
}
