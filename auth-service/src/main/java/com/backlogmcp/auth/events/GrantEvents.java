package com.backlogmcp.auth.events;

import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.contracts.events.GrantEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;

/**
 * Publishes grant and API key changes on {@code auth.grants.v1}, keyed by the credential id. Edges drop revoked
 * credentials within a second of the event. A failed publish is logged and does not undo the database change: the
 * revocation stands, and the edge still learns it through introspection and token expiry (15 min at most).
 */
@Singleton
public class GrantEvents {

    private static final Logger LOG = LoggerFactory.getLogger(GrantEvents.class);
    private final GrantEventClient client;
    private final Clock clock;

    GrantEvents(GrantEventClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void grantCreated(Grant g) {
        publish(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.GRANT_CREATED, g.id(), null,
                g.userId(), g.projectId(), g.workspaceId(), g.clientId(), null));
    }

    public void grantRevoked(Grant g, String reason) {
        publish(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.GRANT_REVOKED, g.id(), null,
                g.userId(), g.projectId(), g.workspaceId(), g.clientId(), reason));
    }

    public void keyCreated(String keyId, String userId, String projectId, String workspaceId) {
        publish(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.KEY_CREATED, null, keyId,
                userId, projectId, workspaceId, null, null));
    }

    public void keyRevoked(String keyId, String userId, String projectId, String workspaceId, String reason) {
        publish(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.KEY_REVOKED, null, keyId,
                userId, projectId, workspaceId, null, reason));
    }

    private void publish(GrantEvent event) {
        try {
            client.send(event.credentialId(), event);
        } catch (RuntimeException e) {
            LOG.error("could not publish {} for {}", event.type(), event.credentialId(), e);
        }
    }
}
