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

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DNS-rebinding defence and CORS for the MCP endpoints. A request with an {@code Origin} that is neither the edge's
 * own (the origin of MCP_PUBLIC_URL: a page served from the edge's own address is no rebinding attack) nor on
 * MCP_ALLOWED_ORIGINS is refused with 403 before anything else runs; requests without {@code Origin} (native
 * agents) pass. A rebinding page carries its own origin ({@code http://evil.example}), never ours, so allowing ours
 * keeps the defence whole. Allowed origins get CORS answers that expose the headers a browser client must read
 * ({@code WWW-Authenticate} for the OAuth challenge, {@code MCP-Protocol-Version}). The RFC 9728 metadata is
 * public and readable from any origin.
 */
@ServerFilter({"/p/**", "/w/**", "/.well-known/oauth-protected-resource/**"})
final class OriginFilter implements Ordered {

    private static final String EXPOSED = "WWW-Authenticate, MCP-Protocol-Version, Mcp-Session-Id, Retry-After, "
            + "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Method, "
            + "Mcp-Name, Mcp-Session-Id, Last-Event-ID, X-MCP-Readonly, X-Request-Id";

    private final List<String> allowed;
    private final String ownOrigin;

    OriginFilter(EdgeConfiguration config) {
        this.allowed = config.origins();
        this.ownOrigin = originOf(config.publicUrl());
    }

    /** {@code scheme://host[:port]} of {@code url}, lower-cased, the default port left out (RFC 6454 serialisation). */
    static String originOf(String url) {
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private boolean isAllowed(String origin) {
        return allowed.contains(origin) || ownOrigin.equals(origin.toLowerCase(Locale.ROOT));
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        boolean metadata = isMetadata(request);
        if (origin != null && !metadata && !isAllowed(origin)) {
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
        } else if (origin != null && isAllowed(origin)) {
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
