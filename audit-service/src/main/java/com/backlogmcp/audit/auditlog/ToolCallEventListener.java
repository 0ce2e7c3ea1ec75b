package com.backlogmcp.audit.auditlog;

import com.backlogmcp.contracts.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Thin adapter from {@code mcp.tool-calls.v1} to the audit log.
 *
 * <p>Offsets are committed by hand, and only after the batch's transaction has committed: a consumer that dies
 * mid-batch leaves the offsets where they were, the next owner of the partition re-reads the batch, and the
 * {@code event_id} key turns the re-read into no-ops. When the database refuses a batch, the consumer seeks back to the
 * batch's first offsets and tries again after a pause, so nothing is skipped while the database is away.
 *
 * <p>A record that cannot be an audit row (not JSON, not a {@code ToolCallEvent}, a required field missing) must
 * neither stall its partition nor vanish: it is logged by position, counted ({@code audit_log_events_total
 * {result="dead_letter"}}) and noted in {@code audit_dead_letter} (position, key, size, SHA-256; never the content)
 * in the same transaction as the batch's rows, and its offset is committed with theirs.
 */
@KafkaListener(
        groupId = "${backlogmcp.audit-log.group-id}",
        batch = true,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED,
        properties = {
                @Property(name = ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, value = "false"),
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "${backlogmcp.audit-log.max-poll-records}"),
                @Property(name = ConsumerConfig.FETCH_MIN_BYTES_CONFIG, value = "${backlogmcp.audit-log.fetch-min-bytes}"),
                @Property(name = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, value = "${backlogmcp.audit-log.fetch-max-wait-ms}"),
                @Property(name = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, value = "${backlogmcp.audit-log.session-timeout-ms}"),
                @Property(name = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, value = "${backlogmcp.audit-log.heartbeat-interval-ms}")
        })
@Requires(property = "backlogmcp.audit-log.consumer-enabled", notEquals = "false")
class ToolCallEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCallEventListener.class);

    private final ToolCallEventReader reader;
    private final AuditLogWriter writer;
    private final Duration retryPause;
    private final MeterRegistry meters;

    ToolCallEventListener(ToolCallEventReader reader, AuditLogWriter writer,
                          @Value("${backlogmcp.audit-log.retry-pause}") Duration retryPause, MeterRegistry meters) {
        this.reader = reader;
        this.writer = writer;
        this.retryPause = retryPause;
        this.meters = meters;
    }

    @Topic(Topics.TOOL_CALLS)
    void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        if (records.isEmpty()) {
            return;
        }
        List<IncomingEvent> events = new ArrayList<>(records.size());
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            switch (reader.read(r)) {
                case IncomingEvent e -> events.add(e);
                case DeadLetter d -> deadLetters.add(d);
            }
        }
        int stored;
        try {
            stored = writer.append(events, deadLetters);
        } catch (Exception e) {
            meters.counter("audit.log.batches.retried").increment();
            // Any failure (the transaction manager may rethrow the driver's checked SQLException as is)
            LOG.warn("audit batch of {} events not stored ({}); re-reading it in {}", records.size(),
                    e.getClass().getSimpleName(), retryPause);
            BatchOffsets.rewind(records, consumer);
            pause();
            return;
        }
        BatchOffsets.commit(records, consumer);
        meters.counter("audit.log.events", "result", "stored").increment(stored);
        meters.counter("audit.log.events", "result", "duplicate").increment(events.size() - stored);
        meters.counter("audit.log.events", "result", "dead_letter").increment(deadLetters.size());
    }

    private void pause() {
        try {
            Thread.sleep(retryPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
