package com.backlogmcp.mcp.credential;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked grant and key ids, fed by {@code auth.grants.v1}. An id is remembered for longer than any access
 * token lives (after that the token has expired anyway; an API key's introspection says inactive).
 */
@Singleton
public class GrantDenylist {

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final EdgeConfiguration config;
    private final Clock clock = Clock.systemUTC();

    public GrantDenylist(EdgeConfiguration config) {
        this.config = config;
    }

    public void revoke(String credentialId, Instant at) {
        revoked.put(credentialId, at);
        Instant horizon = clock.instant().minus(config.denylistRetention());
        revoked.values().removeIf(when -> when.isBefore(horizon));
    }

    public boolean isRevoked(String credentialId) {
        return credentialId != null && revoked.containsKey(credentialId);
    }
}
