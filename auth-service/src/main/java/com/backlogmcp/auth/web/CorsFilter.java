package com.backlogmcp.auth.web;

import com.backlogmcp.auth.support.AuthSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.List;

/**
 * CORS for browser-based clients (MCP Inspector, web agents) on the endpoints they call from script: metadata,
 * registration, token, revocation and JWKS. Only origins listed in {@code AUTH_CORS_ORIGINS} are allowed; no
 * credentials (cookies) are ever allowed cross-origin, so the session-bearing pages stay same-origin.
 */
@ServerFilter({"/.well-known/**", "/oauth/register", "/oauth/register/*", "/oauth/token", "/oauth/revoke", "/oauth/jwks"})
final class CorsFilter implements Ordered {

    private final List<String> origins;

    CorsFilter(AuthSettings settings) {
        this.origins = settings.corsOriginList();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> preflight(HttpRequest<?> request) {
        String origin = request.getHeaders().getOrigin().orElse(null);
        if (request.getMethod() != HttpMethod.OPTIONS || origin == null) {
            return null;
        }
        if (!origins.contains(origin)) {
            return HttpResponse.status(HttpStatus.FORBIDDEN);
        }
        return HttpResponse.status(HttpStatus.NO_CONTENT)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version")
                .header("Access-Control-Max-Age", "600")
                .header("Vary", "Origin");
    }

    @ResponseFilter
    void allow(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String origin = request.getHeaders().getOrigin().orElse(null);
        if (origin != null && origins.contains(origin) && request.getMethod() != HttpMethod.OPTIONS) {
            response.header("Access-Control-Allow-Origin", origin);
            response.header("Access-Control-Expose-Headers", "WWW-Authenticate");
            response.header("Vary", "Origin");
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
