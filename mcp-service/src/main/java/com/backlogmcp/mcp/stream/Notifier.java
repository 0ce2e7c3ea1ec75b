package com.backlogmcp.mcp.stream;

import com.backlogmcp.contracts.events.BacklogChangeEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a backlog change into notifications on the streams this replica holds:
 * <ul>
 *   <li>{@code resources.changed} → {@code notifications/resources/updated} for each changed URI a stream follows
 *   (its session's subscriptions, or its listen filter), after checking the credential may read it now;</li>
 *   <li>{@code membership.changed} (a member's role changed or they left) and {@code workspace.changed} (plan,
 *   add-on, suspension) → the affected streams are authorized again: closed when the credential may no longer use
 *   the project, else told {@code notifications/tools/list_changed} because the tools it may call may have changed.</li>
 * </ul>
 */
@Singleton
public class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    private final StreamHub hub;
    private final SubscriptionBook book;
    private final LiveAuthorization authorization;
    private final JsonMapper json;

    Notifier(StreamHub hub, SubscriptionBook book, LiveAuthorization authorization, JsonMapper json) {
        this.hub = hub;
        this.book = book;
        this.authorization = authorization;
        this.json = json;
    }

    public void onChange(BacklogChangeEvent event) {
        List<LiveStream> streams = event.projectId() != null ? hub.ofProject(event.projectId(), event.workspaceId())
                : hub.all().stream().toList();
        for (LiveStream stream : streams) {
            if (stream.isClosed()) {
                continue;
            }
            switch (event.kind()) {
                case BacklogChangeEvent.RESOURCES_CHANGED -> resourcesChanged(stream, event.uris(), event.projectId());
                case BacklogChangeEvent.MEMBERSHIP_CHANGED -> {
                    if (event.userId() == null || event.userId().equals(stream.userId())) {
                        accessChanged(stream);
                    }
                }
                case BacklogChangeEvent.WORKSPACE_CHANGED -> accessChanged(stream);
                default -> { }
            }
        }
    }

    private void resourcesChanged(LiveStream stream, List<String> uris, @Nullable String projectId) {
        Set<String> followed = followed(stream);
        for (String uri : uris == null ? List.<String>of() : uris) {
            if (!followed.contains(uri)) {
                continue;
            }
            switch (authorization.mayRead(stream, uri, projectId)) {
                case DELIVER -> send(stream, "notifications/resources/updated", Map.of("uri", uri));
                case CLOSE -> {
                    stream.close(null);
                    return;
                }
                case SKIP -> { }
            }
        }
    }

    private void accessChanged(LiveStream stream) {
        LiveStream.Filter filter = stream.filter();
        switch (authorization.mayUseProject(stream)) {
            case CLOSE -> stream.close(null);
            case DELIVER -> {
                if (filter == null || filter.toolsListChanged()) {
                    send(stream, "notifications/tools/list_changed", Map.of());
                }
            }
            case SKIP -> { }
        }
    }

    private Set<String> followed(LiveStream stream) {
        if (stream.filter() != null) {
            return stream.filter().resourceSubscriptions();
        }
        return stream.sessionNonce() == null ? Set.of() : book.of(stream.sessionNonce());
    }

    /** Writes a notification; on a listen stream it carries the subscription id in {@code params._meta}. */
    void send(LiveStream stream, String method, Map<String, Object> params) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        if (stream.filter() != null) {
            p.put("_meta", Map.of(SUBSCRIPTION_ID, stream.filter().subscriptionId()));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        message.put("params", p);
        try {
            stream.send(json.writeValueAsString(message));
        } catch (IOException e) {
            LOG.warn("could not write a notification: {}", e.getMessage());
        }
    }
}
