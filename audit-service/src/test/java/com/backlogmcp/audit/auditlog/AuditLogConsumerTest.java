package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.ToolCallEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.audit.TestDb.awaitCount;
import static com.backlogmcp.audit.TestDb.count;
import static com.backlogmcp.audit.TestDb.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogConsumerTest implements TestPropertyProvider {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BY_PROJECT = "SELECT count(*) FROM audit_log WHERE project_id = ?";

    final ToolCallEvents events = new ToolCallEvents();

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.audit-log.group-id", "audit-consumer-test-" + UUID.randomUUID());
        p.put("backlogmcp.audit-log.max-poll-records", "20");
        p.put("backlogmcp.audit-log.retry-pause", "200ms");
        return p;
    }

    @AfterAll
    void close() {
        events.close();
    }

    @Test
    void eventsWhenDeliveredTwiceThenOneRowEach() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 30; i++) {
                events.send(project, ToolCallEvents.json(project + "-e" + i, at.plusSeconds(i), project, "usr_a",
                        "gr_" + project, null, "list_items", "ok"));
            }
        }
        // a marker after both rounds: once it is stored, every duplicate before it has been consumed
        events.send(project, ToolCallEvents.json(project + "-marker", at.plusSeconds(100), project, "usr_a", null, null,
                "get_item", "ok"));
        events.flush();

        awaitCount(WAIT, n -> n == 1, "SELECT count(*) FROM audit_log WHERE event_id = ?", project + "-marker");
        assertEquals(31, count(BY_PROJECT, project));
        assertEquals(31, count("SELECT count(DISTINCT event_id) FROM audit_log WHERE project_id = ?", project));
        // the second round really reached the writer and was recognised as already stored
        assertTrue(meters.counter("audit.log.events", "result", "duplicate").count() >= 30);
    }

    @Test
    void eventWhenCarryingRawArgumentsThenOnlyTheHashIsStored() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        String withArgs = ToolCallEvents.json(project + "-1", Instant.parse("2026-11-20T11:00:00Z"), project, "usr_a",
                "gr_x", null, "create_item", "ok")
                .replace("\"tool\"", "\"arguments\":{\"title\":\"hunter2-secret-title\"},\"tool\"");
        String argsInHashField = ToolCallEvents.json(project + "-2", Instant.parse("2026-11-20T11:00:01Z"), project,
                "usr_a", "gr_x", null, "create_item", "ok")
                .replace("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "{\\\"title\\\":\\\"hunter2-secret-title\\\"}");
        events.send(project, withArgs);
        events.send(project, argsInHashField);
        events.flush();

        assertEquals(2, awaitCount(WAIT, n -> n == 2, BY_PROJECT, project));
        assertEquals(0, count(
                "SELECT count(*) FROM audit_log a WHERE project_id = ? AND row_to_json(a)::text LIKE '%hunter2%'", project));
        assertEquals(1, count(
                "SELECT count(*) FROM audit_log WHERE event_id = ? AND args_hash = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'",
                project + "-1"));
        assertEquals(1, count("SELECT count(*) FROM audit_log WHERE event_id = ? AND args_hash IS NULL",
                project + "-2"));
    }

    @Test
    void eventWhenUnreadableOrIncompleteThenSkippedAndLaterEventsStored() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        events.send(project, "not json at all".getBytes(StandardCharsets.UTF_8));
        events.send(project, "{\"eventId\":\"" + project + "-incomplete\",\"projectId\":\"" + project + "\"}");
        events.send(project, ToolCallEvents.json(project + "-ok", Instant.parse("2026-11-20T12:00:00Z"), project,
                "usr_a", null, "key_1", "list_items", "ok"));
        events.flush();

        assertEquals(1, awaitCount(WAIT, n -> n == 1, BY_PROJECT, project));
        assertEquals(1, count("SELECT count(*) FROM audit_log WHERE event_id = ?", project + "-ok"));
    }

    @Test
    void batchWhenDatabaseRefusesThenRetriedNotSkipped() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        String constraint = "test_block_" + UUID.randomUUID().toString().replace("-", "");
        execute("ALTER TABLE audit_log ADD CONSTRAINT " + constraint + " CHECK (project_id <> '" + project + "') NOT VALID");
        try {
            for (int i = 0; i < 5; i++) {
                events.send(project, ToolCallEvents.json(project + "-" + i, Instant.parse("2026-11-20T13:00:00Z").plusSeconds(i),
                        project, "usr_a", "gr_retry", null, "list_items", "ok"));
            }
            events.flush();
            // the batch is refused over and over; nothing of it is stored, and the consumer has not moved past it
            Thread.sleep(2000);
            assertEquals(0, count(BY_PROJECT, project));
        } finally {
            execute("ALTER TABLE audit_log DROP CONSTRAINT " + constraint);
        }
        assertEquals(5, awaitCount(WAIT, n -> n == 5, BY_PROJECT, project));
    }

    @Test
    void lastUsedWhenEventsStoredThenLatestTimePerCredentialEvenOutOfOrder() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        String grant = "gr_" + UUID.randomUUID();
        events.send(project, ToolCallEvents.json(project + "-late", Instant.parse("2026-11-21T09:00:00Z"), project,
                "usr_a", grant, null, "list_items", "ok"));
        events.send(project, ToolCallEvents.json(project + "-early", Instant.parse("2026-11-21T08:00:00Z"), project,
                "usr_a", grant, null, "list_items", "ok"));
        events.flush();

        awaitCount(WAIT, n -> n == 2, BY_PROJECT, project);
        assertEquals(1, count(
                "SELECT count(*) FROM credential_last_used WHERE credential_id = ? AND last_used_at = '2026-11-21T09:00:00Z'",
                grant));
        assertFalse(count("SELECT count(*) FROM credential_last_used WHERE credential_id = ?", grant) > 1);
    }

    @Test
    void batchWhenDuplicatesAndPoisonRecordsThenOneRowPerEventAndPoisonNotedAsDeadLetter() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        Instant at = Instant.parse("2026-11-20T14:00:00Z");
        String poison = "{\"eventId\":\"" + project + "-broken\",\"arguments\":{\"title\":\"hunter2\"";
        double deadBefore = meters.counter("audit.log.events", "result", "dead_letter").count();
        events.send(project, ToolCallEvents.json(project + "-1", at, project, "usr_a", "gr_b", null, "list_items", "ok"));
        events.send(project, ToolCallEvents.json(project + "-2", at.plusSeconds(1), project, "usr_a", "gr_b", null, "get_item", "ok"));
        events.send(project, ToolCallEvents.json(project + "-1", at, project, "usr_a", "gr_b", null, "list_items", "ok"));
        events.send(project, poison);
        events.send(project, "{\"eventId\":\"" + project + "-incomplete\",\"projectId\":\"" + project + "\"}");
        events.send(project, ToolCallEvents.json(project + "-3", at.plusSeconds(2), project, "usr_a", "gr_b", null, "get_item", "ok"));
        events.send(project, ToolCallEvents.json(project + "-2", at.plusSeconds(1), project, "usr_a", "gr_b", null, "get_item", "ok"));
        events.flush();

        // the record after the poison is stored: the partition did not stall on it
        assertEquals(1, awaitCount(WAIT, n -> n == 1, "SELECT count(*) FROM audit_log WHERE event_id = ?", project + "-3"));
        assertEquals(3, count(BY_PROJECT, project));
        assertEquals(2, awaitCount(WAIT, n -> n == 2, "SELECT count(*) FROM audit_dead_letter WHERE record_key = ?", project));
        assertEquals(1, count("SELECT count(*) FROM audit_dead_letter WHERE record_key = ? AND reason = 'unreadable' "
                + "AND payload_bytes = ? AND payload_sha256 = ?", project, poison.length(), sha256(poison)));
        assertEquals(1, count("SELECT count(*) FROM audit_dead_letter WHERE record_key = ? AND reason = 'incomplete'", project));
        assertEquals(0, count("SELECT count(*) FROM audit_dead_letter d WHERE row_to_json(d)::text LIKE '%hunter2%'"));
        assertTrue(meters.counter("audit.log.events", "result", "dead_letter").count() >= deadBefore + 2);
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
