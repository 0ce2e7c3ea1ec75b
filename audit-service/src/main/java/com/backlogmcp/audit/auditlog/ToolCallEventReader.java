package com.backlogmcp.audit.auditlog;

import com.backlogmcp.contracts.events.ToolCallEvent;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one {@code mcp.tool-calls.v1} record into an {@link AuditEntry}, or nothing when it cannot be an audit row.
 *
 * <p>Decoding into {@link ToolCallEvent} drops every field the contract does not name, so a producer that wrongly sent
 * raw arguments would not get them stored. An {@code argsHash} that does not look like a hash is replaced by null for
 * the same reason. Unreadable records are skipped with their position only: their content is never logged.
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

    Optional<AuditEntry> read(byte[] value, String position) {
        ToolCallEvent e;
        try {
            e = value == null ? null : json.readValue(value, ToolCallEvent.class);
        } catch (IOException | RuntimeException ex) {
            LOG.warn("skipping unreadable tool-call event at {}", position);
            return Optional.empty();
        }
        if (e == null || !valid(e)) {
            LOG.warn("skipping incomplete tool-call event at {}", position);
            return Optional.empty();
        }
        String hash = e.argsHash() != null && HASH.matcher(e.argsHash()).matches() ? e.argsHash() : null;
        return Optional.of(new AuditEntry(e.eventId(), e.at().truncatedTo(ChronoUnit.MICROS), e.projectId(),
                idOrNull(e.workspaceId()), e.userId(), idOrNull(e.clientId()), idOrNull(e.grantId()), idOrNull(e.keyId()),
                e.tool(), hash, e.outcome(), e.errorType() != null && WORD.matcher(e.errorType()).matches() ? e.errorType() : null,
                Math.max(0, e.latencyMs()), idOrNull(e.requestId())));
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
