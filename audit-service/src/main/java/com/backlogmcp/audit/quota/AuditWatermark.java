package com.backlogmcp.audit.quota;

import com.backlogmcp.contracts.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The instant up to which every tool-call event already in Kafka is stored in the audit log, read from Kafka itself.
 *
 * <p>Each round notes the end offsets of every partition of {@code mcp.tool-calls.v1} with the time they were read (a
 * snapshot). Once the audit consumer group's committed offsets reach a snapshot on every partition, every event that
 * was appended before the snapshot's time has been stored (offsets are committed only after rows commit), and the
 * watermark moves to that time. Under steady load the consumer is always a batch behind the live end, so the watermark
 * trails real time by about one round; while Kafka is unreachable or the consumer lags, it does not move at all.
 *
 * <p>The same reads give the consumer lag and Kafka's reachability, published as gauges
 * ({@code audit_log_consumer_lag}, {@code audit_kafka_reachable}) instead of a readiness check: this service keeps
 * answering quota and reads while Kafka is away.
 */
@Singleton
public class AuditWatermark {

    private static final Logger LOG = LoggerFactory.getLogger(AuditWatermark.class);
    private static final int ADMIN_TIMEOUT_MS = 2000;

    private final Admin admin;
    private final String groupId;
    private final Clock clock;
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong reachable = new AtomicLong(0);

    private Instant watermark = Instant.EPOCH;
    private Snapshot pending;

    AuditWatermark(Admin admin, @Value("${backlogmcp.audit-log.group-id}") String groupId, Clock clock,
                   MeterRegistry meters) {
        this.admin = admin;
        this.groupId = groupId;
        this.clock = clock;
        Gauge.builder("audit.log.consumer.lag", lag, AtomicLong::get)
                .description("tool-call events in Kafka not yet stored by the audit consumer group (-1 = unknown)")
                .register(meters);
        Gauge.builder("audit.kafka.reachable", reachable, AtomicLong::get)
                .description("1 when the last read of the tool-call topic's offsets succeeded, else 0")
                .register(meters);
    }

    /** Reads Kafka once and moves the watermark if the consumer caught up with the pending snapshot. */
    public synchronized Instant advance() {
        Instant now = clock.instant();
        try {
            Map<TopicPartition, Long> end = offsets(partitions(), OffsetSpec.latest());
            Map<TopicPartition, Long> committed = committedOffsets(end);
            reachable.set(1);
            lag.set(lag(end, committed));
            if (covers(committed, end)) {
                watermark = later(watermark, now);
                pending = null;
            } else if (pending == null) {
                pending = new Snapshot(now, end);
            } else if (covers(committed, pending.end())) {
                watermark = later(watermark, pending.at());
                pending = new Snapshot(now, end);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            reachable.set(0);
            lag.set(-1);
            LOG.debug("cannot read the audit consumer's progress ({}); the watermark stays at {}",
                    e.getClass().getSimpleName(), watermark);
        }
        return watermark;
    }

    public synchronized Instant current() {
        return watermark;
    }

    /**
     * Closes the shared admin client with a short timeout before its factory does: with Kafka away, its factory's
     * plain {@code close()} waits for the client's pending metadata request for up to a minute.
     */
    @PreDestroy
    void closeAdmin() {
        admin.close(Duration.ofSeconds(2));
    }

    private List<TopicPartition> partitions() throws Exception {
        try {
            TopicDescription topic = admin.describeTopics(List.of(Topics.TOOL_CALLS),
                            new DescribeTopicsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
                    .allTopicNames().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(Topics.TOOL_CALLS);
            return topic.partitions().stream().map(p -> new TopicPartition(Topics.TOOL_CALLS, p.partition())).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of(); // no topic yet: no event was ever produced
            }
            throw e;
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(p -> specs.put(p, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos = admin
                .listOffsets(specs, new ListOffsetsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
                .all().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        infos.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /**
     * The group's committed offsets; a partition the group never committed on counts as stored up to its first
     * offset, since there is nothing before it (a partition whose records retention removed before the group read
     * them would otherwise hold the watermark back for ever).
     */
    private Map<TopicPartition, Long> committedOffsets(Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin
                .listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
                .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((p, o) -> {
            if (o != null && Topics.TOOL_CALLS.equals(p.topic())) {
                committed.put(p, o.offset());
            }
        });
        List<TopicPartition> neverCommitted = end.keySet().stream().filter(p -> !committed.containsKey(p)).toList();
        offsets(neverCommitted, OffsetSpec.earliest()).forEach(committed::put);
        return committed;
    }

    /** True when the group has stored everything up to {@code end} on every partition. */
    private static boolean covers(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private static long lag(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
        return end.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L))).sum();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private record Snapshot(Instant at, Map<TopicPartition, Long> end) {
    }
}
