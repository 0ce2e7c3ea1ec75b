package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.McpHttp;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * auth-service's JWKS unreachable when the edge starts: calls get UPSTREAM_UNAVAILABLE (not a 401 that would
 * send agents through the OAuth flow again), and once auth-service answers the edge recovers without restart.
 */
@MicronautTest
class AuthOutageTest extends EdgeTestBase {

    private volatile boolean authUp;
    private final HttpServer jwks = start();

    private HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/oauth/jwks", ex -> {
                byte[] body = authUp ? new JWKSet(fakes.signingKey().toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8)
                        : "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(authUp ? 200 : 503, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("backlogmcp.edge.auth-url", "http://127.0.0.1:" + jwks.getAddress().getPort());
        p.put("backlogmcp.edge.jwks-refetch-minimum", "300ms");
        return p;
    }

    @AfterAll
    void stop() {
        jwks.stop(0);
    }

    @Test
    void jwksWhenAuthDownThenUpstreamUnavailableAndRecoversWhenBack() throws InterruptedException {
        String token = ownerToken();
        for (int i = 0; i < 3; i++) {
            McpHttp.Reply down = http.mcp(PROJECT, token, request(1, "ping", null));
            assertEquals(200, down.status(), down.body());
            assertEquals("UPSTREAM_UNAVAILABLE", down.errorType());
        }
        authUp = true;
        Thread.sleep(400);
        McpHttp.Reply up = http.mcp(PROJECT, token, request(2, "ping", null));
        assertEquals(200, up.status(), up.body());
        assertEquals(Map.of(), up.result());
    }
}
