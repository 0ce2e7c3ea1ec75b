package com.backlogmcp.audit.auditlog;

import com.backlogmcp.contracts.events.ToolCallEvent;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one {@code mcp.tool-calls.v1} record into an {@link AuditEntry}, or nothing when it cannot be an audit row.
 *
 * <p>Decoding into {@link ToolCallEvent} drops every field the contract does not name, so a producer that wrongly sent
 * raw arguments would not get them stored. An {@code argsHash} that does not look like a hash is replaced by null for
 * the same reason. Unreadable records become {@link DeadLetter}s noted by position only: their content is never
 * logged or stored.
 */
@Singleton
class ToolCallEventReader {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCallEventReader.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@/+=-]{1,200}");
    private static final Pattern HASH = Pattern.compile("[A-Za-z0-9+/=_:-]{16,200}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private final JsonMapper json;

    ToolCallEventReader(JsonMapper json) {
        this.json = json;
    }

    /** Answers an {@link IncomingEvent}, or a {@link DeadLetter} when the record cannot be an audit row. */
    DecodedRecord read(ConsumerRecord<String, byte[]> r) {
        byte[] value = r.value();
        ToolCallEvent e;
        try {
            e = value == null ? null : json.readValue(value, ToolCallEvent.class);
        } catch (IOException | RuntimeException ex) {
            LOG.warn("skipping unreadable tool-call event at {}-{}@{}", r.topic(), r.partition(), r.offset());
            return deadLetter(r, "unreadable");
        }
        Optional<IncomingEvent> incoming = e == null ? Optional.empty() : decode(e);
        if (incoming.isEmpty()) {
            LOG.warn("skipping incomplete tool-call event at {}-{}@{}", r.topic(), r.partition(), r.offset());
            return deadLetter(r, "incomplete");
        }
        return incoming.get();
    }

    /**
     * The audit row of one event, by the same rules whether it came from Kafka or was handed over by an edge over
     * HTTP; empty when a required field is missing or malformed.
     */
    Optional<IncomingEvent> decode(ToolCallEvent e) {
        if (!valid(e)) {
            return Optional.empty();
        }
        String hash = e.argsHash() != null && HASH.matcher(e.argsHash()).matches() ? e.argsHash() : null;
        return Optional.of(new IncomingEvent(new AuditEntry(e.eventId(), e.at().truncatedTo(ChronoUnit.MICROS), e.projectId(),
                idOrNull(e.workspaceId()), e.userId(), idOrNull(e.clientId()), idOrNull(e.grantId()), idOrNull(e.keyId()),
                e.tool(), hash, e.outcome(), e.errorType() != null && WORD.matcher(e.errorType()).matches() ? e.errorType() : null,
                Math.max(0, e.latencyMs()), idOrNull(e.requestId())), idOrNull(e.quotaBlockId())));
    }

    private static DeadLetter deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        byte[] value = r.value();
        String key = r.key() != null && ID.matcher(r.key()).matches() ? r.key() : null;
        return new DeadLetter(r.topic(), r.partition(), r.offset(), key, reason, value == null ? 0 : value.length,
                value == null ? null : sha256(value));
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean valid(ToolCallEvent e) {
        return e.eventId() != null && ID.matcher(e.eventId()).matches()
                && e.at() != null
                && e.projectId() != null && ID.matcher(e.projectId()).matches()
                && e.userId() != null && ID.matcher(e.userId()).matches()
                && e.tool() != null && WORD.matcher(e.tool()).matches()
                && e.outcome() != null && WORD.matcher(e.outcome()).matches();
    }

    private static String idOrNull(String value) {
        return value != null && ID.matcher(value).matches() ? value : null;
    }
}
