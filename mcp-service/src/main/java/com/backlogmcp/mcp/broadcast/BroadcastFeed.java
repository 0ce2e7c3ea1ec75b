package com.backlogmcp.mcp.broadcast;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Kafka topic that every edge replica reads whole: revocations, session facts, backlog changes and legacy replies
 * must each reach every replica, whichever one a client happens to be connected to.
 *
 * <p>So the feed assigns itself all partitions (no consumer-group membership, so replicas never split them), under a
 * group id of its own that is never committed, and starts either at the topic's end or at the first record newer than
 * a moment back ({@link Builder#from}). It waits for the topic to exist — another service may create it with its
 * first record — and keeps polling on a platform thread of its own until {@link #close}. A record its handler cannot
 * take is logged by offset and skipped, so one bad record never stops the feed.
 *
 * <p>Written against the Kafka client rather than with micronaut-kafka's {@code @KafkaListener}: a listener joins a
 * consumer group and is handed a share of the partitions, and it cannot start from a timestamp. The consumer still
 * gets every {@code kafka.*} setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it.
 */
public final class BroadcastFeed<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastFeed.class);
    private static final Duration WAIT_FOR_TOPIC = Duration.ofMillis(500);

    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private final Supplier<Instant> from;
    private final Runnable whileTopicMissing;
    private final Duration poll;
    private final Consumer<ConsumerRecord<String, V>> handler;
    private final Thread thread;
    private volatile boolean running = true;

    private BroadcastFeed(Builder<V> b, Consumer<ConsumerRecord<String, V>> handler) {
        this.topic = b.topic;
        this.from = b.from;
        this.whileTopicMissing = b.whileTopicMissing;
        this.poll = b.poll;
        this.handler = handler;
        Properties p = new Properties();
        p.putAll(b.kafka.getConfig());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, b.name + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, b.from == null ? "latest" : "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), b.values);
        this.thread = Thread.ofPlatform().daemon().name(b.name).start(this::run);
    }

    /** A feed of {@code topic}; {@code name} names its thread and prefixes its throwaway group id. */
    public static <V> Builder<V> of(String name, String topic, KafkaDefaultConfiguration kafka, Deserializer<V> values) {
        return new Builder<>(name, topic, kafka, values);
    }

    private void run() {
        try {
            if (assignAllPartitions()) {
                LOG.info("{} reading every partition of {}", thread.getName(), topic);
            }
            while (running) {
                for (ConsumerRecord<String, V> record : consumer.poll(poll)) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        LOG.warn("{} skipped the record at {}-{}@{}: {}", thread.getName(), record.topic(),
                                record.partition(), record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("{} stopped", thread.getName(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean assignAllPartitions() {
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            } catch (TimeoutException e) {
                partitions = List.of();
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> tps = partitions.stream()
                        .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                consumer.assign(tps);
                startPositions(tps);
                return true;
            }
            if (whileTopicMissing != null) {
                try {
                    whileTopicMissing.run();
                } catch (RuntimeException e) {
                    LOG.debug("{} waiting for {}: {}", thread.getName(), topic, e.toString());
                }
            }
            try {
                Thread.sleep(WAIT_FOR_TOPIC);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void startPositions(List<TopicPartition> tps) {
        if (from == null) {
            consumer.seekToEnd(tps);
        } else {
            long since = from.get().toEpochMilli();
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
        }
        // Resolves the positions now: a seek to the end is otherwise lazy and would skip what is published before the
        // first poll.
        tps.forEach(consumer::position);
    }

    /** Stops polling and closes the consumer; waits up to three seconds for the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(3000);
    }

    public static final class Builder<V> {
        private final String name;
        private final String topic;
        private final KafkaDefaultConfiguration kafka;
        private final Deserializer<V> values;
        private Supplier<Instant> from;
        private Runnable whileTopicMissing;
        private Duration poll = Duration.ofMillis(100);

        private Builder(String name, String topic, KafkaDefaultConfiguration kafka, Deserializer<V> values) {
            this.name = Objects.requireNonNull(name);
            this.topic = Objects.requireNonNull(topic);
            this.kafka = Objects.requireNonNull(kafka);
            this.values = Objects.requireNonNull(values);
        }

        /** Start at the first record newer than {@code since} (asked when the partitions are assigned), not the end. */
        public Builder<V> from(Supplier<Instant> since) {
            this.from = since;
            return this;
        }

        /** Run on every round of waiting for the topic, e.g. to create it. */
        public Builder<V> whileTopicMissing(Runnable action) {
            this.whileTopicMissing = action;
            return this;
        }

        /** How long one poll waits for records; also bounds how late a record is seen. Default 100 ms. */
        public Builder<V> poll(Duration poll) {
            this.poll = poll;
            return this;
        }

        public BroadcastFeed<V> start(Consumer<ConsumerRecord<String, V>> handler) {
            return new BroadcastFeed<>(this, handler);
        }
    }
}
