package com.backlogmcp.mcp.stream;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import com.backlogmcp.contracts.events.BacklogChangeEvent;
import com.backlogmcp.contracts.events.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Reads {@code backlog.changes.v1} on every replica — a consumer group of its own, all partitions, from the end —
 * because the replica holding a client's stream is the one that must notify it, whichever replica took the write.
 * Polls every 100 ms, so a change reaches a subscribed client well within a second of backlog-service publishing it.
 * Nothing is committed: what happened while a replica was down is not replayed to streams that did not exist then.
 */
@Context
final class BacklogChangesConsumer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogChangesConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Notifier notifier;
    private final StreamHub hub;
    private final JsonMapper json;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    BacklogChangesConsumer(Notifier notifier, StreamHub hub, JsonMapper json, KafkaDefaultConfiguration kafka) {
        this.notifier = notifier;
        this.hub = hub;
        this.json = json;
        Properties p = new Properties();
        // every kafka.* setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it
        p.putAll(kafka.getConfig());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "mcp-service-changes-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = Thread.ofPlatform().daemon().name("backlog-changes").start(this);
    }

    @Override
    public void run() {
        try {
            assign();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (hub.all().isEmpty()) {
                        continue; // no stream here to notify
                    }
                    try {
                        BacklogChangeEvent event = json.readValue(r.value(), BacklogChangeEvent.class);
                        if (event != null && event.kind() != null) {
                            notifier.onChange(event);
                        }
                    } catch (Exception e) {
                        LOG.warn("ignoring unreadable change at offset {}: {}", r.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("backlog changes consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Waits for the topic (backlog-service creates it with its first change), then reads from its end. */
    private void assign() throws WakeupException {
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(Topics.BACKLOG_CHANGES, Duration.ofSeconds(2));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                partitions = List.of();
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> tps = partitions.stream().map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                consumer.assign(tps);
                consumer.seekToEnd(tps);
                tps.forEach(consumer::position);
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(3000);
    }
}
