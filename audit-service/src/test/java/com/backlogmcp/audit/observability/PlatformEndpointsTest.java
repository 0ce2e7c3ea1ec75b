package com.backlogmcp.audit.observability;

import com.backlogmcp.audit.TestStack;
import com.backlogmcp.contracts.Headers;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformEndpointsTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @Test
    void healthWhenDatabaseAndKafkaUpThenLiveAndReady() {
        assertEquals(HttpStatus.OK, client.toBlocking().exchange("/health/liveness").getStatus());
        HttpResponse<String> ready = client.toBlocking().exchange("/health/readiness", String.class);
        assertEquals(HttpStatus.OK, ready.getStatus());
        assertTrue(ready.body().contains("UP"));
    }

    @Test
    void prometheusWhenScrapedThenExposesJvmMetrics() {
        String body = client.toBlocking().retrieve("/prometheus");
        assertTrue(body.contains("jvm_memory_used_bytes"), body);
    }

    @Test
    void requestIdWhenGivenThenEchoed() {
        HttpResponse<?> r = client.toBlocking().exchange(HttpRequest.GET("/health/liveness").header(Headers.REQUEST_ID, "abc-123"));
        assertEquals("abc-123", r.header(Headers.REQUEST_ID));
        HttpResponse<?> generated = client.toBlocking().exchange(HttpRequest.GET("/health/liveness").header(Headers.REQUEST_ID, "bad id with spaces"));
        assertNotNull(generated.header(Headers.REQUEST_ID));
        assertTrue(!generated.header(Headers.REQUEST_ID).contains(" "));
    }

    @Test
    void internalWhenNoCredentialThen401() {
        var e = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange("/internal/no-such-endpoint"));
        assertEquals(HttpStatus.UNAUTHORIZED, e.getStatus());
    }

    @Test
    void internalWhenCredentialForAnotherServiceThen401() {
        String token = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        var e = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/internal/no-such-endpoint").bearerAuth(token)));
        assertEquals(HttpStatus.UNAUTHORIZED, e.getStatus());
    }

    @Test
    void internalWhenServiceCredentialThenPassesToRouting() {
        String token = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.AUDIT);
        var e = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/internal/no-such-endpoint").bearerAuth(token)));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    }
}
