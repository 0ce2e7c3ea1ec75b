package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.BasicHttpAttributes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds {@code Authorization: Bearer <service credential>} to every call to a neighbour. A minted credential is
 * reused until a minute before it expires, so minting costs nothing per request, and the neighbours, which remember
 * a credential they verified, check its signature once per credential rather than once per call.
 */
@ClientFilter(serviceId = {NeighbourIds.BACKLOG, NeighbourIds.AUDIT, NeighbourIds.AUTH})
final class ServiceCredentialClientFilter {

    /** Re-minted with a minute of its lifetime left: ample for a request in flight and for clock skew. */
    private static final Duration REUSE = ServiceTokens.LIFETIME.minus(Duration.ofMinutes(1));
    private static final Map<String, String> AUDIENCES = Map.of(
            NeighbourIds.BACKLOG, ServiceNames.BACKLOG,
            NeighbourIds.AUDIT, ServiceNames.AUDIT,
            NeighbourIds.AUTH, ServiceNames.AUTH);

    private record Minted(String token, Instant at) {
    }

    private final ServiceTokens tokens;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Minted> cache = new ConcurrentHashMap<>();

    ServiceCredentialClientFilter(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    void authorize(MutableHttpRequest<?> request) {
        String audience = BasicHttpAttributes.getServiceId(request).map(AUDIENCES::get).orElse(null);
        if (audience == null) {
            return;
        }
        Instant now = clock.instant();
        Minted minted = cache.get(audience);
        if (minted == null || !minted.at().plus(REUSE).isAfter(now)) {
            minted = cache.compute(audience, (aud, old) ->
                    old != null && old.at().plus(REUSE).isAfter(now) ? old : new Minted(tokens.mint(ServiceNames.MCP, aud), now));
        }
        request.bearerAuth(minted.token());
    }
}
