package com.backlogmcp.audit.retention;

import com.backlogmcp.audit.MutableClock;
import com.backlogmcp.audit.TestDb;
import com.backlogmcp.audit.TestStack;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// not transactional: the purge must commit its own batches, as it does in production
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionPurgeTest implements TestPropertyProvider {

    @Inject
    RetentionPurge purge;
    @Inject
    MutableClock clock;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("test.mutable-clock", "true");
        p.put("backlogmcp.audit-log.consumer-enabled", "false");
        p.put("backlogmcp.retention.enabled", "false");
        p.put("backlogmcp.retention.batch-size", "300");
        return p;
    }

    @Test
    void purgeWhenRowsOlderThanRetentionThenDeletedInBatchesAndRecentKept() {
        clock.set(Instant.parse("2027-03-01T12:00:00Z"));
        String project = "prj_" + UUID.randomUUID();
        // 1000 rows past the 90-day retention (cut-off 2026-12-01T12:00Z), 10 just inside it
        TestDb.execute(insertAuditRows(project, "old", 1000, "2026-11-01T00:00:00Z"));
        TestDb.execute(insertAuditRows(project, "kept", 10, "2026-12-01T12:00:00Z"));
        TestDb.execute("INSERT INTO credential_event (event_id, at, type, credential_id, user_id) VALUES ('" + project
                + "-ce-old', '2026-11-30T00:00:00Z', 'grant.revoked', 'gr_x', 'usr_r'), ('" + project
                + "-ce-kept', '2026-12-02T00:00:00Z', 'grant.revoked', 'gr_x', 'usr_r')");
        TestDb.execute("INSERT INTO daily_quota (project_id, day, used) VALUES ('" + project + "', '2027-02-25', 5), ('"
                + project + "', '2027-02-26', 5), ('" + project + "', '2027-03-01', 5)");
        TestDb.execute("INSERT INTO rate_window (credential_id, window_start, used) VALUES ('gr_" + project
                + "', '2027-03-01T11:49:00Z', 3), ('gr_" + project + "', '2027-03-01T11:50:00Z', 3)");
        TestDb.execute("INSERT INTO quota_lease (block_id, kind, subject_id, window_start, holder, granted, granted_at, "
                + "expires_at) VALUES "
                + lease(project + "-d-old", "daily", project, "2027-02-25T00:00:00Z") + ", "
                + lease(project + "-d-kept", "daily", project, "2027-02-26T00:00:00Z") + ", "
                + lease(project + "-r-old", "rate", "gr_" + project, "2027-03-01T11:49:00Z") + ", "
                + lease(project + "-r-kept", "rate", "gr_" + project, "2027-03-01T11:50:00Z"));

        RetentionPurge.PurgeResult result = purge.purge();

        assertTrue(result.auditRows() >= 1000, "deleted " + result.auditRows());
        assertEquals(0, TestDb.count("SELECT count(*) FROM audit_log WHERE project_id = ? AND event_id LIKE '%-old-%'", project));
        assertEquals(10, TestDb.count("SELECT count(*) FROM audit_log WHERE project_id = ? AND event_id LIKE '%-kept-%'", project));
        assertEquals(0, TestDb.count("SELECT count(*) FROM credential_event WHERE event_id = ?", project + "-ce-old"));
        assertEquals(1, TestDb.count("SELECT count(*) FROM credential_event WHERE event_id = ?", project + "-ce-kept"));
        // quota counters: three full days back (2027-02-26) are kept, older ones go
        assertEquals(2, TestDb.count("SELECT count(*) FROM daily_quota WHERE project_id = ?", project));
        assertEquals(0, TestDb.count("SELECT count(*) FROM daily_quota WHERE project_id = ? AND day = '2027-02-25'", project));
        // minute windows older than ten minutes go
        assertEquals(1, TestDb.count("SELECT count(*) FROM rate_window WHERE credential_id = ?", "gr_" + project));
        // lease blocks go with their counters
        assertEquals(2, result.leaseBlocks());
        assertEquals(1, TestDb.count("SELECT count(*) FROM quota_lease WHERE block_id = ?", project + "-d-kept"));
        assertEquals(1, TestDb.count("SELECT count(*) FROM quota_lease WHERE block_id = ?", project + "-r-kept"));
        assertEquals(0, purge.purge().total());
    }

    @Test
    void purgeWhenAnInsertTransactionIsOpenThenPurgeDoesNotWaitForIt() throws Exception {
        clock.set(Instant.parse("2027-03-01T12:00:00Z"));
        String project = "prj_" + UUID.randomUUID();
        TestDb.execute(insertAuditRows(project, "old", 700, "2026-10-01T00:00:00Z"));
        try (Connection writer = TestDb.connect()) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.execute(insertAuditRows(project, "new", 5, "2027-03-01T11:59:00Z"));
                s.execute("INSERT INTO daily_quota (project_id, day, used) VALUES ('" + project + "', '2027-03-01', 1)");
            }
            // the writer's transaction stays open while the purge runs in batches
            RetentionPurge.PurgeResult result = CompletableFuture.supplyAsync(purge::purge).get(30, TimeUnit.SECONDS);
            assertTrue(result.auditRows() >= 700);
            writer.commit();
        }
        assertEquals(5, TestDb.count("SELECT count(*) FROM audit_log WHERE project_id = ?", project));
    }

    private static String insertAuditRows(String project, String tag, int n, String from) {
        return "INSERT INTO audit_log (event_id, at, project_id, user_id, tool, args_hash, outcome, latency_ms) "
                + "SELECT '" + project + "-" + tag + "-' || g, '" + from + "'::timestamptz + g * interval '1 second', '"
                + project + "', 'usr_r', 'list_items', 'h', 'ok', 1 FROM generate_series(1, " + n + ") g";
    }

    private static String lease(String blockId, String kind, String subject, String windowStart) {
        return "('" + blockId + "', '" + kind + "', '" + subject + "', '" + windowStart + "', 'edge_x', 1, '"
                + windowStart + "', '" + windowStart + "')";
    }
}
