package com.backlogmcp.mcp.credential;

import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Feeds the {@link GrantDenylist} from {@code auth.grants.v1} (beside {@link RevocationPoller}, which asks
 * auth-service directly, so that revocation does not depend on Kafka). Every replica must see every revocation, so each
 * instance reads all partitions itself under a consumer group of its own (never shared, never committed) and,
 * on start, rewinds to the events of the last denylist-retention window so a token revoked just before a restart
 * stays refused. Polls every 100 ms: a revocation takes effect well within a second.
 */
@Context
final class GrantEventsConsumer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GrantEventsConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final RevocationIntake intake;
    private final JsonMapper json;
    private final EdgeConfiguration config;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    GrantEventsConsumer(RevocationIntake intake, JsonMapper json, EdgeConfiguration config,
                        KafkaDefaultConfiguration kafka) {
        this.intake = intake;
        this.json = json;
        this.config = config;
        // Every kafka.* setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it. The consumer itself is
        // built here rather than by @KafkaListener because it assigns all partitions and seeks by timestamp.
        Properties p = new Properties();
        p.putAll(kafka.getConfig());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "mcp-service-denylist-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(p);
        this.thread = Thread.ofPlatform().daemon().name("grant-denylist").start(this);
    }

    @Override
    public void run() {
        try {
            assignAllPartitions();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("grant denylist consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Waits for the topic (auth-service may not have created it yet), then reads it from the retention window. */
    private void assignAllPartitions() {
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(Topics.GRANTS, Duration.ofSeconds(2));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                partitions = List.of();
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> tps = partitions.stream().map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                consumer.assign(tps);
                long since = Instant.now().minus(config.denylistRetention()).toEpochMilli();
                Map<TopicPartition, Long> query = new HashMap<>();
                tps.forEach(tp -> query.put(tp, since));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
                for (TopicPartition tp : tps) {
                    OffsetAndTimestamp o = offsets.get(tp);
                    if (o != null) {
                        consumer.seek(tp, o.offset());
                    } else {
                        consumer.seekToEnd(List.of(tp));
                    }
                }
                LOG.info("grant denylist reading {} partitions of {}", tps.size(), Topics.GRANTS);
                return;
            }
            sleep(Duration.ofMillis(500));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            GrantEvent event = json.readValue(record.value(), GrantEvent.class);
            if (event != null && event.isRevocation() && event.credentialId() != null) {
                if (intake.revoked(event.credentialId(), event.at())) {
                    LOG.info("credential {} revoked ({})", event.credentialId(), event.reason());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable grant event at offset {}", record.offset());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(3000);
    }
}
