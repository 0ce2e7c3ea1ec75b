package com.backlogmcp.backlog.outbox;

import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.contracts.events.BacklogChangeEvent;
import com.backlogmcp.contracts.events.Topics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes change events into the outbox table inside the caller's transaction: the event exists exactly when the
 * change committed. {@link OutboxRelay} publishes it afterwards; nothing is sent to Kafka from inside a transaction.
 */
public final class Outbox {

    private Outbox() {
    }

    public static void resourcesChanged(ConnectionQueries sql, String workspaceId, String projectId, List<String> uris) {
        append(sql, new BacklogChangeEvent(UUID.randomUUID().toString(), Instant.now(),
                BacklogChangeEvent.RESOURCES_CHANGED, projectId, workspaceId, List.copyOf(uris), null));
    }

    public static void membershipChanged(ConnectionQueries sql, String workspaceId, String projectId, String userId) {
        append(sql, new BacklogChangeEvent(UUID.randomUUID().toString(), Instant.now(),
                BacklogChangeEvent.MEMBERSHIP_CHANGED, projectId, workspaceId,
                List.of("backlog://projects/" + projectId), userId));
    }

    /** An invitation was created ({@code userId} null) or accepted by {@code userId}. */
    public static void invitation(ConnectionQueries sql, String kind, String workspaceId, String projectId, String invitationId,
                                  String userId) {
        append(sql, new BacklogChangeEvent(UUID.randomUUID().toString(), Instant.now(), kind, projectId, workspaceId,
                List.of("backlog://invitations/" + invitationId), userId));
    }

    public static void workspaceChanged(ConnectionQueries sql, String workspaceId) {
        append(sql, new BacklogChangeEvent(UUID.randomUUID().toString(), Instant.now(),
                BacklogChangeEvent.WORKSPACE_CHANGED, null, workspaceId, List.of(), null));
    }

    static void append(ConnectionQueries sql, BacklogChangeEvent event) {
        String key = event.projectId() != null ? event.projectId() : event.workspaceId();
        sql.update("INSERT INTO outbox (event_id, topic, event_key, payload) VALUES (?, ?, ?, ?)",
                event.eventId(), Topics.BACKLOG_CHANGES, key, Json.document(wire(event)));
    }

    /** The event as it travels: the contract record's fields, timestamps as RFC 3339 strings. */
    static java.util.Map<String, Object> wire(BacklogChangeEvent e) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("eventId", e.eventId());
        m.put("at", e.at().toString());
        m.put("kind", e.kind());
        m.put("projectId", e.projectId());
        m.put("workspaceId", e.workspaceId());
        m.put("uris", e.uris());
        m.put("userId", e.userId());
        return m;
    }
}
