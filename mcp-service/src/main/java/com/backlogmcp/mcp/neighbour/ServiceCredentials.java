package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge's service credential for each neighbour (audience). A minted credential is reused until a minute before it
 * expires, so minting costs nothing per request, and the neighbours, which remember a credential they verified, check
 * its signature once per credential rather than once per call. Both ways the edge talks to neighbours use it: the
 * Micronaut clients through {@link ServiceCredentialClientFilter}, the tool-call exchange through
 * {@link BacklogExchange}.
 */
@Singleton
public final class ServiceCredentials {

    /** Re-minted with a minute of its lifetime left: ample for a request in flight and for clock skew. */
    private static final Duration REUSE = ServiceTokens.LIFETIME.minus(Duration.ofMinutes(1));

    private record Minted(String token, Instant at) {
    }

    private final ServiceTokens tokens;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    ServiceCredentials(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    /** A credential of the edge for {@code audience} (one of {@link ServiceNames}), valid for at least a minute. */
    public String forAudience(String audience) {
        Instant now = clock.instant();
        Minted minted = cache.get(audience);
        if (minted == null || !minted.at().plus(REUSE).isAfter(now)) {
            minted = cache.compute(audience, (aud, old) ->
                    old != null && old.at().plus(REUSE).isAfter(now) ? old : new Minted(tokens.mint(ServiceNames.MCP, aud), now));
        }
        return minted.token();
    }
}
