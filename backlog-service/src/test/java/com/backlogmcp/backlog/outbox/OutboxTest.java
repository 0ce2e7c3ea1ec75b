package com.backlogmcp.backlog.outbox;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ConnectionQueries;
import com.backlogmcp.contracts.events.BacklogChangeEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.embedded.TestInfrastructure;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backlog.changes.v1 through the transactional outbox: published after commit, never on rollback, never lost. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> tx;

    @Inject
    OutboxRelay relay;

    KafkaConsumer<String, String> consumer;
    final List<ConsumerRecord<String, String>> received = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.outbox.poll-interval", "300ms");
        return p;
    }

    @BeforeAll
    void subscribe() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.BACKLOG_CHANGES));
    }

    @AfterAll
    void close() {
        consumer.close();
    }

    List<Map<String, Object>> eventsFor(String projectId, Duration wait, int atLeast) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            if (matching(projectId).size() >= atLeast) {
                break;
            }
        }
        return matching(projectId);
    }

    private List<Map<String, Object>> matching(String projectId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var r : received) {
            if (projectId.equals(r.key())) {
                try {
                    out.add(Json.map(Json.parse(r.value())));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    @Test
    void createItemWhenCommittedThenResourcesChangedEventOnKafkaKeyedByProject() {
        var p = new Fixtures(tx).project();
        var reply = new Internal(client).tool("create_item", p.projectId(), p.member(), Map.of("title", "Evented"));
        @SuppressWarnings("unchecked")
        String itemId = (String) ((Map<String, Object>) reply.content().get("item")).get("id");
        var events = eventsFor(p.projectId(), Duration.ofSeconds(15), 1);
        assertEquals(1, events.size(), events.toString());
        var event = events.get(0);
        assertEquals(BacklogChangeEvent.RESOURCES_CHANGED, event.get("kind"));
        assertEquals(p.workspaceId(), event.get("workspaceId"));
        assertTrue(((List<?>) event.get("uris")).contains("backlog://items/" + itemId), event.toString());
        assertTrue(event.get("eventId") instanceof String);
        assertEquals(0, pending(p.projectId()));
    }

    @Test
    void memberRemovedWhenCommittedThenMembershipChangedEventNamingTheUser() {
        var p = new Fixtures(tx).project();
        new Internal(client).tool("remove_member", p.projectId(), p.admin(), Map.of("userId", p.member()));
        var events = eventsFor(p.projectId(), Duration.ofSeconds(15), 1);
        assertEquals(BacklogChangeEvent.MEMBERSHIP_CHANGED, events.get(0).get("kind"));
        assertEquals(p.member(), events.get(0).get("userId"));
    }

    @Test
    void toolWhenFailingAfterAWriteThenRolledBackAndNoEvent() {
        var p = new Fixtures(tx).project();
        var other = new Fixtures(tx).project();
        var internal = new Internal(client);
        var release = internal.tool("create_release", p.projectId(), p.member(), Map.of("name", "v1"));
        @SuppressWarnings("unchecked")
        String releaseId = (String) ((Map<String, Object>) release.content().get("release")).get("id");
        eventsFor(p.projectId(), Duration.ofSeconds(15), 1);
        String foreignItem = (String) ((Map<?, ?>) internal.tool("create_item", other.projectId(), other.member(),
                Map.of("title", "x")).content().get("item")).get("id");
        // update_release renames first, then meets a foreign item id: NOT_FOUND, and the rename is rolled back.
        var refused = internal.tool("update_release", p.projectId(), p.member(), Map.of("id", releaseId, "name", "renamed",
                "addItemIds", List.of(foreignItem)));
        assertEquals("NOT_FOUND", refused.errorType());
        var releases = internal.tool("list_releases", p.projectId(), p.member(), Map.of());
        @SuppressWarnings("unchecked")
        var name = ((Map<String, Object>) ((List<Map<String, Object>>) releases.content().get("releases")).get(0).get("name")).get("text");
        assertEquals("v1", name);
        assertEquals(1, eventsFor(p.projectId(), Duration.ofSeconds(3), 2).size(), "only the create_release event");
        assertEquals(0, outboxRows(p.projectId()) - 1);
    }

    @Test
    void transactionWhenRolledBackThenItsOutboxRowNeverExistsAndNothingIsPublished() {
        var p = new Fixtures(tx).project();
        assertThrows(IllegalStateException.class, () -> tx.executeWrite(status -> {
            ConnectionQueries sql = new ConnectionQueries(status.getConnection());
            Outbox.resourcesChanged(sql, p.workspaceId(), p.projectId(), List.of("backlog://projects/" + p.projectId()));
            throw new IllegalStateException("the change fails after the event was written");
        }));
        relay.relayBatch();
        assertEquals(0, outboxRows(p.projectId()));
        assertEquals(0, eventsFor(p.projectId(), Duration.ofSeconds(3), 1).size());
    }

    @Test
    void eventWhenCommittedButRelayDiedBeforePublishingThenPublishedByTheNextPass() {
        var p = new Fixtures(tx).project();
        // The process "dies" between commit and publish: the row is committed, nobody wakes the relay.
        tx.executeWrite(status -> {
            Outbox.resourcesChanged(new ConnectionQueries(status.getConnection()), p.workspaceId(), p.projectId(),
                    List.of("backlog://projects/" + p.projectId()));
            return null;
        });
        assertEquals(1, eventsFor(p.projectId(), Duration.ofSeconds(15), 1).size(), "the scheduled pass publishes it");
        assertEquals(0, pending(p.projectId()));
    }

    long pending(String projectId) {
        long deadline = System.currentTimeMillis() + 5000;
        long n;
        do {
            n = new Fixtures(tx).query(sql -> sql.one("SELECT count(*) FROM outbox WHERE event_key = ? AND published_at IS NULL",
                    rs -> rs.getLong(1), projectId).orElseThrow());
        } while (n > 0 && System.currentTimeMillis() < deadline);
        return n;
    }

    long outboxRows(String projectId) {
        return new Fixtures(tx).query(sql -> sql.one("SELECT count(*) FROM outbox WHERE event_key = ?",
                rs -> rs.getLong(1), projectId).orElseThrow());
    }
}
