package com.backlogmcp.audit.credentials;

import com.backlogmcp.audit.auditlog.BatchOffsets;
import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Notes grant and API-key creations and revocations from {@code auth.grants.v1}, same delivery rules as the audit log:
 * rows first, offsets after, idempotent on event id, a refused batch re-read rather than skipped.
 */
@KafkaListener(
        groupId = "${backlogmcp.audit-log.group-id}-grants",
        batch = true,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED,
        properties = {
                @Property(name = ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, value = "false"),
                @Property(name = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, value = "${backlogmcp.audit-log.session-timeout-ms}"),
                @Property(name = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, value = "${backlogmcp.audit-log.heartbeat-interval-ms}")
        })
@Requires(property = "backlogmcp.audit-log.consumer-enabled", notEquals = "false")
class GrantEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(GrantEventListener.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@/+=-]{1,200}");
    private static final Set<String> TYPES = Set.of(GrantEvent.GRANT_CREATED, GrantEvent.GRANT_REVOKED,
            GrantEvent.KEY_CREATED, GrantEvent.KEY_REVOKED);

    private final JsonMapper json;
    private final CredentialEventStore store;
    private final Duration retryPause;

    GrantEventListener(JsonMapper json, CredentialEventStore store,
                       @Value("${backlogmcp.audit-log.retry-pause}") Duration retryPause) {
        this.json = json;
        this.store = store;
        this.retryPause = retryPause;
    }

    @Topic(Topics.GRANTS)
    void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        if (records.isEmpty()) {
            return;
        }
        List<CredentialEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            CredentialEvent e = read(r.value());
            if (e == null) {
                LOG.warn("skipping unusable grant event at {}-{}@{}", r.topic(), r.partition(), r.offset());
            } else {
                events.add(e);
            }
        }
        try {
            store.append(events);
        } catch (Exception e) {
            LOG.warn("grant-event batch of {} not stored ({}); re-reading it in {}", records.size(),
                    e.getClass().getSimpleName(), retryPause);
            BatchOffsets.rewind(records, consumer);
            try {
                Thread.sleep(retryPause.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        BatchOffsets.commit(records, consumer);
    }

    private CredentialEvent read(byte[] value) {
        GrantEvent e;
        try {
            e = value == null ? null : json.readValue(value, GrantEvent.class);
        } catch (Exception ex) {
            return null;
        }
        if (e == null || !valid(e.eventId()) || e.at() == null || e.type() == null || !TYPES.contains(e.type())
                || !valid(e.credentialId()) || !valid(e.userId())) {
            return null;
        }
        String reason = e.reason() != null && e.reason().matches("[a-z_]{1,40}") ? e.reason() : null;
        return new CredentialEvent(e.eventId(), e.at().truncatedTo(ChronoUnit.MICROS), e.type(), e.credentialId(),
                e.userId(), orNull(e.projectId()), orNull(e.workspaceId()), orNull(e.clientId()), reason);
    }

    private static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static String orNull(String id) {
        return valid(id) ? id : null;
    }
}
