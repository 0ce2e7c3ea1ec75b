package com.backlogmcp.mcp.credential;

import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * Where every revocation the edge learns of lands, from {@code auth.grants.v1} or from auth-service's revocation
 * feed: the same credential may arrive both ways, and applying it twice changes nothing.
 */
@Singleton
final class RevocationIntake {

    private final GrantDenylist denylist;
    private final ApiKeyIntrospector apiKeys;

    RevocationIntake(GrantDenylist denylist, ApiKeyIntrospector apiKeys) {
        this.denylist = denylist;
        this.apiKeys = apiKeys;
    }

    /** Answers whether it was news (the credential was not on the denylist yet). */
    boolean revoked(String credentialId, Instant at) {
        boolean news = !denylist.isRevoked(credentialId);
        // Denylist first: the introspector relies on it to refuse answers still in flight.
        denylist.revoke(credentialId, at != null ? at : Instant.now());
        apiKeys.forget(credentialId);
        return news;
    }
}
