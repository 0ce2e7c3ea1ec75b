package com.backlogmcp.mcp.session;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Facts about sessions that every replica must know — a session ended early, a resource subscribed to — published
 * on the Kafka topic {@code mcp.sessions.v1} (key: the session's nonce; value: the fact, carrying the session's
 * expiry). Every replica reads the topic under a consumer group of its own, never committed, from one session
 * lifetime back, so a replica started later still knows what happened to the sessions that may still be presented.
 */
@Context
public class SessionLog implements Runnable {

    public static final String TOPIC = "mcp.sessions.v1";
    private static final Logger LOG = LoggerFactory.getLogger(SessionLog.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private final SessionIds ids;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private final KafkaDefaultConfiguration kafka;

    SessionLog(SessionIds ids, KafkaDefaultConfiguration kafka) {
        this.ids = ids;
        this.kafka = kafka;
        Properties pp = new Properties();
        // every kafka.* setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it
        pp.putAll(kafka.getConfig());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(pp);
        Properties cp = new Properties();
        // every kafka.* setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it
        cp.putAll(kafka.getConfig());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "mcp-service-sessions-" + UUID.randomUUID());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(cp);
        this.thread = Thread.ofPlatform().daemon().name("session-log").start(this);
    }

    /**
     * Publishes {@code fact} about the session with nonce {@code nonce} to every replica, this one included (it hears
     * its own records back through Kafka, and also gets them at once through {@link #onRecord}'s listeners).
     */
    public void publish(String nonce, String fact) {
        listeners.forEach(l -> l.accept(nonce, fact));
        producer.send(new ProducerRecord<>(TOPIC, nonce, fact), (md, e) -> {
            if (e != null) {
                LOG.warn("could not publish a session fact; other replicas miss it: {}", e.getMessage());
            }
        });
    }

    /** {@code listener} gets every fact published by any replica (possibly twice: locally and through Kafka). */
    public void onRecord(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    @Override
    public void run() {
        try {
            assignAllPartitions();
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    try {
                        listeners.forEach(l -> l.accept(r.key(), r.value()));
                    } catch (RuntimeException e) {
                        LOG.warn("ignoring unreadable session fact at offset {}", r.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("session log consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The topic is ours alone, so the edge creates it rather than wait for the first DELETE to. */
    private void createTopic() {
        Properties ap = new Properties();
        ap.putAll(kafka.getConfig());
        ap.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.empty(), Optional.empty()))).all().get(6, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("could not create {}: {}", TOPIC, e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.warn("could not create {}: {}", TOPIC, e.getMessage());
        }
    }

    private void assignAllPartitions() {
        createTopic();
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(2));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                partitions = List.of();
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(tps);
                long since = Instant.now().minus(ids.ttl()).toEpochMilli();
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
        producer.close(Duration.ofSeconds(2));
    }
}
