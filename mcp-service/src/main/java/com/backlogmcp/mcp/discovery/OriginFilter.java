package com.backlogmcp.mcp.discovery;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.List;
import java.util.Map;

/**
 * DNS-rebinding defence and CORS for the MCP endpoints. A request with an {@code Origin} not on
 * MCP_ALLOWED_ORIGINS is refused with 403 before anything else runs; requests without {@code Origin} (native
 * agents) pass. Allowed origins get CORS answers that expose the headers a browser client must read
 * ({@code WWW-Authenticate} for the OAuth challenge, {@code MCP-Protocol-Version}). The RFC 9728 metadata is
 * public and readable from any origin.
 */
@ServerFilter({"/p/**", "/.well-known/oauth-protected-resource/**"})
final class OriginFilter implements Ordered {

    private static final String EXPOSED = "WWW-Authenticate, MCP-Protocol-Version, Mcp-Session-Id, Retry-After, "
            + "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Method, "
            + "Mcp-Name, Mcp-Session-Id, Last-Event-ID, X-MCP-Readonly, X-Request-Id";

    private final List<String> allowed;

    OriginFilter(EdgeConfiguration config) {
        this.allowed = config.origins();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        boolean metadata = isMetadata(request);
        if (origin != null && !metadata && !allowed.contains(origin)) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(Map.of("jsonrpc", "2.0", "error", Map.of("code", -32600, "message", "Origin not allowed: " + origin)));
        }
        if (request.getMethod() == HttpMethod.OPTIONS && origin != null) {
            MutableHttpResponse<?> preflight = HttpResponse.noContent();
            cors(preflight, metadata ? "*" : origin);
            preflight.header(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, metadata ? "GET, OPTIONS" : "POST, GET, DELETE, OPTIONS");
            preflight.header(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            preflight.header(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
            return preflight;
        }
        return null;
    }

    @ResponseFilter
    void decorate(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (request.getMethod() == HttpMethod.OPTIONS) {
            return;
        }
        if (isMetadata(request)) {
            cors(response, "*");
        } else if (origin != null && allowed.contains(origin)) {
            cors(response, origin);
        }
    }

    private static void cors(MutableHttpResponse<?> response, String origin) {
        response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.header(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        if (!"*".equals(origin)) {
            response.header(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        }
    }

    private static boolean isMetadata(HttpRequest<?> request) {
        return request.getPath().startsWith("/.well-known/");
    }

    @Override
    public int getOrder() {
        // Before anything reads the body or the credential.
        return ServerFilterPhase.SECURITY.before();
    }
}
