package com.backlogmcp.backlog.observability;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka unreachable from the start (its address is a closed port): the service stays ready, keeps executing tools,
 * and the events it cannot publish wait in the outbox, counted by {@code outbox_pending}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAwayReadinessTest implements TestPropertyProvider {

    private static final Pattern PENDING = Pattern.compile("(?m)^outbox_pending(?:\\{[^}]*})? ([0-9.]+)$");

    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    TransactionOperations<Connection> tx;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("kafka.bootstrap.servers", "127.0.0.1:" + closedPort());
        p.put("kafka.producers.default.max.block.ms", "500");
        p.put("backlogmcp.outbox.send-timeout", "1s");
        return p;
    }

    double pending() {
        String metrics = client.toBlocking().retrieve("/prometheus");
        Matcher m = PENDING.matcher(metrics);
        assertTrue(m.find(), metrics);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void readinessWhenKafkaUnreachableThenUpAndToolsServedAndEventsWaitInTheOutbox() {
        HttpResponse<String> ready = client.toBlocking().exchange("/health/readiness", String.class);
        assertEquals(HttpStatus.OK, ready.getStatus());
        assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());
        assertFalse(ready.body().toLowerCase().contains("kafka"), "Kafka is not a readiness dependency: " + ready.body());

        double before = pending();
        var p = new Fixtures(tx).project();
        Internal.Reply reply = new Internal(client).tool("create_item", p.projectId(), p.member(), Map.of("title", "Written while Kafka is away"));
        assertEquals(200, reply.status());
        assertFalse(reply.isError(), reply.body().toString());
        assertTrue(pending() >= before + 1, "the item's event waits in the outbox");
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
