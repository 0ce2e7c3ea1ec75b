package com.backlogmcp.audit.observability;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.quota.AuditWatermark;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka unreachable from the start (its address is a closed port): the service stays ready and keeps granting quota,
 * and says where Kafka stands through metrics instead.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAwayReadinessTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;
    @Inject
    AuditWatermark watermark;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("kafka.bootstrap.servers", "127.0.0.1:" + closedPort());
        p.put("backlogmcp.audit-log.group-id", "kafka-away-" + UUID.randomUUID());
        p.put("backlogmcp.quota.lease.reclaim-enabled", "false");
        return p;
    }

    @Test
    void readinessWhenKafkaUnreachableThenStillUpAndQuotaStillGranted() {
        InternalCalls calls = new InternalCalls(server.getURI());
        HttpResponse<String> ready = calls.send(HttpRequest.newBuilder(server.getURI().resolve("/health/readiness")).GET().build());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());

        HttpResponse<String> lease = calls.post("/internal/quota/leases", "{\"projectId\":\"prj_" + UUID.randomUUID()
                + "\",\"plan\":\"pro\",\"credentialId\":\"gr_1\",\"holder\":\"edge_1\",\"dailyWanted\":5,\"rateWanted\":5}");
        assertEquals(200, lease.statusCode(), lease.body());
        assertTrue(lease.body().contains("\"granted\":5"), lease.body());
    }

    @Test
    void metricsWhenKafkaUnreachableThenReachableIsZeroAndLagUnknown() {
        watermark.advance();
        InternalCalls calls = new InternalCalls(server.getURI());
        String metrics = calls.send(HttpRequest.newBuilder(server.getURI().resolve("/prometheus")).GET().build()).body();
        assertTrue(metrics.contains("audit_kafka_reachable 0.0"), metrics);
        assertTrue(metrics.contains("audit_log_consumer_lag -1.0"), metrics);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
