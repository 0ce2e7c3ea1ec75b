package com.backlogmcp.auth.support;

import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuthSettingsTest {

    static AuthSettings withHeader(String header) {
        return new AuthSettings("http://a/", "http://m/", "x".repeat(32), null, false, false, true, Duration.ofDays(30), header);
    }

    @Test
    void clientAddressWhenHeaderConfiguredThenLastEntryTheProxyAppended() {
        var request = HttpRequest.GET("/login").header("X-Forwarded-For", "6.6.6.6, 10.0.0.7");
        assertEquals("10.0.0.7", withHeader("X-Forwarded-For").clientAddress(request));
    }

    @Test
    void basesWhenTrailingSlashThenTrimmedAndMcpEndpointBuilt() {
        AuthSettings s = withHeader(null);
        assertEquals("http://a", s.issuerBase());
        assertEquals("http://m/p/prj_x/mcp", s.mcpEndpoint("prj_x"));
    }
}
