package com.backlogmcp.backlog.serviceauth;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.Map;
import java.util.Optional;

/**
 * {@code /internal/**} answers only callers holding a service credential addressed to this service;
 * everyone else, an agent's or user's token included, gets 401 before any controller runs.
 */
@ServerFilter("/internal/**")
final class InternalEndpointsFilter implements Ordered {

    /** Request attribute holding the authenticated calling service's name. */
    public static final String CALLER = ServiceCaller.ATTRIBUTE;

    private final ServiceTokens tokens;

    InternalEndpointsFilter(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        String auth = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Optional<String> caller = tokens.verify(token, ServiceNames.BACKLOG);
        if (caller.isPresent()) {
            request.setAttribute(CALLER, caller.get());
            return null;
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"internal\"")
                .body(Map.of("error", "unauthenticated", "message", "internal endpoints need a service credential"));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
