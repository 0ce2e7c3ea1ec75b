package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.ToolCallEvents;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.audit.TestDb.awaitCount;
import static com.backlogmcp.audit.TestDb.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge's hand-over path ({@code POST /internal/audit-log/events}) and the Kafka path are one store: the event id
 * decides, so an event handed over and also delivered through Kafka, in either order, is one row.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditEventHandoffTest implements TestPropertyProvider {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PATH = "/internal/audit-log/events";
    private static final String BY_PROJECT = "SELECT count(*) FROM audit_log WHERE project_id = ?";
    private static final String DISTINCT_BY_PROJECT = "SELECT count(DISTINCT event_id) FROM audit_log WHERE project_id = ?";

    final ToolCallEvents kafka = new ToolCallEvents();

    @Inject
    EmbeddedServer server;

    InternalCalls edge;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.audit-log.group-id", "audit-handoff-test-" + UUID.randomUUID());
        return p;
    }

    @BeforeAll
    void edge() {
        edge = new InternalCalls(server.getURI());
    }

    @AfterAll
    void close() {
        kafka.close();
    }

    private static List<String> events(String project, int n) {
        List<String> events = new ArrayList<>();
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        for (int i = 0; i < n; i++) {
            events.add(ToolCallEvents.json(project + "-e" + i, at.plusMillis(i), project, "usr_a", "gr_" + project, null,
                    "get_item", "ok"));
        }
        return events;
    }

    private static String body(List<String> events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /** Publishes the events to mcp.tool-calls.v1 followed by a marker, and waits until the marker is stored. */
    private void deliverThroughKafka(String project, List<String> events) throws Exception {
        events.forEach(e -> kafka.send(project, e));
        String marker = project + "-marker";
        kafka.send(project, ToolCallEvents.json(marker, Instant.parse("2026-11-30T11:00:00Z"), project, "usr_a", null,
                null, "get_item", "ok"));
        kafka.flush();
        awaitCount(WAIT, n -> n == 1, "SELECT count(*) FROM audit_log WHERE event_id = ?", marker);
    }

    @Test
    void handOverWhenRepeatedAndThenDeliveredThroughKafkaThenEveryEventStoredOnce() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        List<String> events = events(project, 120);

        HttpResponse<String> first = edge.post(PATH, body(events));
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("{\"stored\":120,\"alreadyStored\":0}", first.body());
        assertEquals(120, count(BY_PROJECT, project));

        HttpResponse<String> retried = edge.post(PATH, body(events)); // the edge never saw the first answer
        assertEquals("{\"stored\":0,\"alreadyStored\":120}", retried.body());

        deliverThroughKafka(project, events); // the producer's ack was lost in the outage, the records were not
        assertEquals(121, count(BY_PROJECT, project));
        assertEquals(121, count(DISTINCT_BY_PROJECT, project));
    }

    @Test
    void handOverWhenKafkaDeliveredFirstThenNothingAdded() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        List<String> events = events(project, 10);
        deliverThroughKafka(project, events);

        HttpResponse<String> handed = edge.post(PATH, body(events));
        assertEquals(200, handed.statusCode(), handed.body());
        assertEquals("{\"stored\":0,\"alreadyStored\":10}", handed.body());
        assertEquals(11, count(BY_PROJECT, project));
    }

    @Test
    void handOverWhenOneEventIncompleteThenWholeBatchRefusedAndNothingStored() {
        String project = "prj_" + UUID.randomUUID();
        List<String> events = new ArrayList<>(events(project, 3));
        events.add("{\"eventId\":\"" + project + "-bad\",\"projectId\":\"" + project + "\"}");

        HttpResponse<String> answer = edge.post(PATH, body(events));
        assertEquals(400, answer.statusCode());
        assertTrue(answer.body().contains("events[3]"), answer.body());
        assertEquals(0, count(BY_PROJECT, project));
    }

    @Test
    void handOverWhenEmptyOversizedOrNotJsonThen400() {
        String project = "prj_" + UUID.randomUUID();
        assertEquals(400, edge.post(PATH, "{\"events\":[]}").statusCode());
        assertEquals(400, edge.post(PATH, "{}").statusCode());
        assertEquals(400, edge.post(PATH, "{\"events\":[null]}").statusCode());
        assertEquals(400, edge.post(PATH, "{\"events\":").statusCode());
        assertEquals(400, edge.post(PATH, body(events(project, 501))).statusCode());
        assertEquals(0, count(BY_PROJECT, project));
    }

    @Test
    void handOverWhenNoOrForeignServiceCredentialThen401AndNothingStored() {
        String project = "prj_" + UUID.randomUUID();
        String body = body(events(project, 1));
        HttpRequest.Builder post = HttpRequest.newBuilder(server.getURI().resolve(PATH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        assertEquals(401, edge.send(post.copy().build()).statusCode());
        String forBacklog = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        assertEquals(401, edge.send(post.copy().header("Authorization", "Bearer " + forBacklog).build()).statusCode());
        assertEquals(0, count(BY_PROJECT, project));
    }
}
