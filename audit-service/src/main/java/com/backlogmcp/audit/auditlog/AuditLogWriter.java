package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.quota.LeaseSpending;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Appends a batch in one transaction: the rows in one multi-row statement (idempotent on event id), the credentials'
 * last-used times (only ever moved forward, so a redelivered batch changes nothing), the lease blocks' audited counts
 * (only for rows that were new, so a redelivery never counts twice) and the batch's dead letters. When this returns,
 * the batch is durable.
 */
@Singleton
class AuditLogWriter {

    // One statement for the whole batch: each column travels as one array, unnest() turns them back into rows.
    private static final String INSERT = """
            INSERT INTO audit_log (event_id, at, project_id, workspace_id, user_id, client_id, grant_id, key_id,
                                   tool, args_hash, outcome, error_type, latency_ms, request_id, quota_block_id)
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING quota_block_id""";
    private static final String TOUCH = """
            INSERT INTO credential_last_used (credential_id, last_used_at) VALUES (?, ?)
            ON CONFLICT (credential_id) DO UPDATE
            SET last_used_at = greatest(credential_last_used.last_used_at, excluded.last_used_at)""";
    private static final String DEAD_LETTER = """
            INSERT INTO audit_dead_letter (topic, kafka_partition, kafka_offset, record_key, reason, payload_bytes,
                                           payload_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private final TransactionOperations<Connection> transactions;
    private final LeaseSpending leaseSpending;

    AuditLogWriter(TransactionOperations<Connection> transactions, LeaseSpending leaseSpending) {
        this.transactions = transactions;
        this.leaseSpending = leaseSpending;
    }

    /** Stores the events and notes the dead letters; answers how many rows were new (the rest were already there). */
    int append(List<IncomingEvent> events, List<DeadLetter> deadLetters) {
        if (events.isEmpty() && deadLetters.isEmpty()) {
            return 0;
        }
        // a batch may hold the same event twice (a producer retry): keep the first, as the table would
        Map<String, IncomingEvent> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.entry().eventId(), e));
        List<IncomingEvent> rows = new ArrayList<>(unique.values());
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            int inserted = rows.isEmpty() ? 0 : insertRows(c, rows);
            touchCredentials(c, rows);
            noteDeadLetters(c, deadLetters);
            return inserted;
        });
    }

    private int insertRows(Connection c, List<IncomingEvent> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", column(rows, AuditEntry::eventId)));
            ps.setArray(2, c.createArrayOf("timestamptz", rows.stream()
                    .map(e -> Timestamp.from(e.entry().at())).toArray()));
            ps.setArray(3, c.createArrayOf("text", column(rows, AuditEntry::projectId)));
            ps.setArray(4, c.createArrayOf("text", column(rows, AuditEntry::workspaceId)));
            ps.setArray(5, c.createArrayOf("text", column(rows, AuditEntry::userId)));
            ps.setArray(6, c.createArrayOf("text", column(rows, AuditEntry::clientId)));
            ps.setArray(7, c.createArrayOf("text", column(rows, AuditEntry::grantId)));
            ps.setArray(8, c.createArrayOf("text", column(rows, AuditEntry::keyId)));
            ps.setArray(9, c.createArrayOf("text", column(rows, AuditEntry::tool)));
            ps.setArray(10, c.createArrayOf("text", column(rows, AuditEntry::argsHash)));
            ps.setArray(11, c.createArrayOf("text", column(rows, AuditEntry::outcome)));
            ps.setArray(12, c.createArrayOf("text", column(rows, AuditEntry::errorType)));
            ps.setArray(13, c.createArrayOf("bigint", rows.stream().map(e -> e.entry().latencyMs()).toArray()));
            ps.setArray(14, c.createArrayOf("text", column(rows, AuditEntry::requestId)));
            ps.setArray(15, c.createArrayOf("text", rows.stream().map(IncomingEvent::quotaBlockId).toArray()));
            int inserted = 0;
            Map<String, Integer> perBlock = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted++;
                    String block = rs.getString(1);
                    if (block != null) {
                        perBlock.merge(block, 1, Integer::sum);
                    }
                }
            }
            leaseSpending.record(c, perBlock);
            return inserted;
        }
    }

    private static Object[] column(List<IncomingEvent> rows, Function<AuditEntry, Object> field) {
        return rows.stream().map(e -> field.apply(e.entry())).toArray();
    }

    /** One upsert per credential, in key order so that two consumers never lock the same rows in opposite order. */
    private static void touchCredentials(Connection c, List<IncomingEvent> rows) throws SQLException {
        Map<String, Instant> latest = new TreeMap<>();
        for (IncomingEvent e : rows) {
            if (e.entry().credentialId() != null) {
                latest.merge(e.entry().credentialId(), e.entry().at(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
            for (Map.Entry<String, Instant> e : latest.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setTimestamp(2, Timestamp.from(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void noteDeadLetters(Connection c, List<DeadLetter> deadLetters) throws SQLException {
        if (deadLetters.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(DEAD_LETTER)) {
            for (DeadLetter d : deadLetters) {
                ps.setString(1, d.topic());
                ps.setInt(2, d.partition());
                ps.setLong(3, d.offset());
                ps.setString(4, d.key());
                ps.setString(5, d.reason());
                ps.setInt(6, d.payloadBytes());
                ps.setString(7, d.payloadSha256());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
