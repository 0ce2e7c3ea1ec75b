package com.backlogmcp.auth.backlog;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints this service's credential for a neighbour. A minted token is reused for a minute (it lives five), so a busy
 * page does not sign a JWT per call.
 */
@Singleton
final class ServiceCredentials {

    private static final Duration REUSE = Duration.ofMinutes(1);

    private record Minted(String token, Instant until) {
    }

    private final ServiceTokens tokens;
    private final Clock clock;
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    ServiceCredentials(ServiceTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    String bearerFor(String audience) {
        Minted m = cache.compute(audience, (k, old) -> old != null && old.until().isAfter(clock.instant()) ? old
                : new Minted(tokens.mint(ServiceNames.AUTH, k), clock.instant().plus(REUSE)));
        return "Bearer " + m.token();
    }
}
