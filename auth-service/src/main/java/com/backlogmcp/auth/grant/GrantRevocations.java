package com.backlogmcp.auth.grant;

import com.backlogmcp.auth.events.GrantEvents;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;

/** Revokes a grant (and with it every refresh token of it) and tells the edges. Reasons follow {@code GrantEvent}. */
@Singleton
public class GrantRevocations {

    public static final String USER = "user";
    public static final String REFRESH_REUSE = "refresh_reuse";
    public static final String CODE_REPLAY = "code_replay";
    public static final String ADMIN = "admin";
    public static final String CLIENT_DELETED = "client_deleted";

    /*
     * A transaction of its own, even when a caller has one open: code-replay and refresh-reuse revocations happen
     * while the token request is failing, and must not be rolled back with it. The revocation and its outbox row
     * commit together here, so the edges learn of every revocation that stands, and of no other.
     */
    private static final TransactionDefinition OWN_TRANSACTION =
            TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW);

    private final GrantStore grants;
    private final GrantEvents events;
    private final TransactionOperations<Connection> tx;

    GrantRevocations(GrantStore grants, GrantEvents events, TransactionOperations<Connection> tx) {
        this.grants = grants;
        this.events = events;
        this.tx = tx;
    }

    /** Answers whether this call revoked it (false when unknown or already revoked). */
    public boolean revoke(String grantId, String reason) {
        if (grantId == null) {
            return false;
        }
        return tx.execute(OWN_TRANSACTION, status -> {
            if (!grants.revoke(grantId, reason)) {
                return false;
            }
            grants.find(grantId).ifPresent(g -> events.grantRevoked(g.id(), g.userId(), g.projectId(), g.workspaceId(),
                    g.clientId(), reason));
            return true;
        });
    }
}
