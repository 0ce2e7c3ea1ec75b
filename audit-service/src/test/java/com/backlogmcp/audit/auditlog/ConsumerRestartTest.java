package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.TestDb;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.ToolCallEvents;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One audit-service instance is stopped while it is working through a backlog of events; a new instance with the same
 * consumer group takes over. Every event ends up as exactly one row: no gap, no duplicate.
 */
class ConsumerRestartTest {

    private static final int BEFORE_STOP = 600;
    private static final int AFTER_STOP = 400;
    private static final String BY_PROJECT = "SELECT count(*) FROM audit_log WHERE project_id = ?";

    @Test
    void consumerWhenStoppedMidBatchAndRestartedThenNoGapNoDuplicate() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        String grant = "gr_" + UUID.randomUUID();
        Map<String, Object> props = new HashMap<>(TestStack.properties());
        props.put("backlogmcp.audit-log.group-id", "audit-restart-test-" + UUID.randomUUID());
        props.put("backlogmcp.audit-log.max-poll-records", "10");
        Instant base = Instant.parse("2026-11-21T00:00:00Z");

        try (ToolCallEvents events = new ToolCallEvents()) {
            for (int i = 0; i < BEFORE_STOP; i++) {
                events.send(project, ToolCallEvents.json(project + "-" + i, base.plusSeconds(i), project, "usr_r", grant,
                        null, "list_items", "ok"));
            }
            events.flush();

            ApplicationContext first = ApplicationContext.run(props);
            long seenAtStop;
            try {
                seenAtStop = TestDb.awaitCount(Duration.ofSeconds(60), n -> n >= 50, BY_PROJECT, project);
                assertTrue(seenAtStop >= 50, "the first instance never started consuming");
            } finally {
                first.close();
            }
            long storedByFirst = TestDb.count(BY_PROJECT, project);
            System.out.println("first instance stored " + storedByFirst + " of " + BEFORE_STOP + " before it stopped");
            assertTrue(storedByFirst < BEFORE_STOP, "the first instance finished its backlog before it was stopped");

            // more events arrive while no instance is running
            for (int i = BEFORE_STOP; i < BEFORE_STOP + AFTER_STOP; i++) {
                events.send(project, ToolCallEvents.json(project + "-" + i, base.plusSeconds(i), project, "usr_r", grant,
                        null, "list_items", "ok"));
            }
            events.flush();

            try (ApplicationContext second = ApplicationContext.run(props)) {
                long total = TestDb.awaitCount(Duration.ofSeconds(60), n -> n >= BEFORE_STOP + AFTER_STOP, BY_PROJECT, project);
                // let the second instance settle: anything re-read after the rows are complete must not add rows
                Thread.sleep(500);
                assertEquals(BEFORE_STOP + AFTER_STOP, TestDb.count(BY_PROJECT, project),
                        "first instance stored " + storedByFirst + " before it stopped; total seen " + total);
            }
            assertEquals(BEFORE_STOP + AFTER_STOP, TestDb.count(
                    "SELECT count(DISTINCT event_id) FROM audit_log WHERE project_id = ? AND event_id LIKE ?",
                    project, project + "-%"));
            assertEquals(1, TestDb.count("SELECT count(*) FROM credential_last_used WHERE credential_id = ? AND last_used_at = ?::timestamptz",
                    grant, base.plusSeconds(BEFORE_STOP + AFTER_STOP - 1).toString()));
        }
    }
}
