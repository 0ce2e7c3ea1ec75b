package com.backlogmcp.auth.backlog;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds this service's credential to every call to backlog-service and audit-service. A minted token is reused for a
 * minute (it lives five), so a busy consent page does not sign a JWT per call.
 */
@ClientFilter(serviceId = {"backlog", "audit"})
final class ServiceCredentialClientFilter {

    private static final Duration REUSE = Duration.ofMinutes(1);

    private record Minted(String token, Instant until) {
    }

    private final ServiceTokens tokens;
    private final Clock clock;
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    ServiceCredentialClientFilter(ServiceTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @RequestFilter
    void authenticate(MutableHttpRequest<?> request) {
        String path = request.getPath();
        // Which neighbour is called is known from the path family: audit answers /internal/usage/**, backlog the rest.
        String audience = path.startsWith("/internal/usage") ? ServiceNames.AUDIT : ServiceNames.BACKLOG;
        Minted m = cache.compute(audience, (k, old) -> old != null && old.until().isAfter(clock.instant()) ? old
                : new Minted(tokens.mint(ServiceNames.AUTH, k), clock.instant().plus(REUSE)));
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + m.token());
    }
}
