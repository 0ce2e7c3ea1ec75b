package com.backlogmcp.auth.events;

import com.backlogmcp.auth.support.JdbcStatements;
import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.time.Clock;
import java.util.UUID;

/**
 * Records grant and API key changes for {@code auth.grants.v1}, keyed by the credential id, as rows of the outbox
 * table INSIDE the caller's transaction: the event exists exactly when the change committed, and a Kafka outage
 * cannot lose a revocation. {@link OutboxRelay} publishes the row after commit (woken by the commit, plus a sweep),
 * and the edges drop a revoked credential within a second of the event. Nothing is sent to Kafka from here.
 */
@Singleton
public class GrantEvents {

    private final JdbcStatements jdbc;
    private final TransactionOperations<Connection> tx;
    private final OutboxRelay relay;
    private final JsonMapper json;
    private final Clock clock;

    GrantEvents(JdbcStatements jdbc, TransactionOperations<Connection> tx, OutboxRelay relay, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.relay = relay;
        this.json = json;
        this.clock = clock;
    }

    // Grants and keys are described by their fields rather than their records, so this outbox depends on no feature
    // package and every feature (grant, apikey, token) may record events through it.
    public void grantCreated(String grantId, String userId, String projectId, String workspaceId, String clientId) {
        append(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.GRANT_CREATED, grantId, null,
                userId, projectId, workspaceId, clientId, null));
    }

    public void grantRevoked(String grantId, String userId, String projectId, String workspaceId, String clientId,
                             String reason) {
        append(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.GRANT_REVOKED, grantId, null,
                userId, projectId, workspaceId, clientId, reason));
    }

    public void keyCreated(String keyId, String userId, String projectId, String workspaceId) {
        append(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.KEY_CREATED, null, keyId,
                userId, projectId, workspaceId, null, null));
    }

    public void keyRevoked(String keyId, String userId, String projectId, String workspaceId, String reason) {
        append(new GrantEvent(UUID.randomUUID().toString(), clock.instant(), GrantEvent.KEY_REVOKED, null, keyId,
                userId, projectId, workspaceId, null, reason));
    }

    private void append(GrantEvent event) {
        // Outside a transaction the row would commit on its own, apart from the change it describes: refuse that.
        TransactionStatus<?> status = tx.findTransactionStatus().orElseThrow(() -> new IllegalStateException(
                "grant events are written inside the transaction of the change they describe"));
        String payload;
        try {
            // The same JSON the Kafka serializer of a GrantEvent produces, so consumers see an unchanged wire format.
            payload = json.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jdbc.prepareStatement("insert into outbox (event_id, topic, event_key, payload) values (?, ?, ?, ?::jsonb)", ps -> {
            ps.setString(1, event.eventId());
            ps.setString(2, Topics.GRANTS);
            ps.setString(3, event.credentialId());
            ps.setString(4, payload);
            return ps.executeUpdate();
        });
        status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wake();
            }
        });
    }
}
