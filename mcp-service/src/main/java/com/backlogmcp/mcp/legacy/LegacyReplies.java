package com.backlogmcp.mcp.legacy;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import com.backlogmcp.mcp.stream.StreamHub;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * On the legacy HTTP+SSE transport the answer to a POST travels on the session's SSE stream, which one replica holds.
 * The replica taking the POST writes the answer to the stream itself when it holds it; otherwise it publishes the
 * answer on {@code mcp.legacy-replies.v1} (key: the session's nonce), which every replica reads from its end under a
 * consumer group of its own, and the holder writes it. Nothing is replayed: an answer for a stream that is gone is
 * dropped, as the client that would read it is gone too.
 */
@Context
final class LegacyReplies implements Runnable {

    static final String TOPIC = "mcp.legacy-replies.v1";
    private static final Logger LOG = LoggerFactory.getLogger(LegacyReplies.class);

    private final StreamHub hub;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    LegacyReplies(StreamHub hub, KafkaDefaultConfiguration kafka) {
        this.hub = hub;
        Properties pp = new Properties();
        // every kafka.* setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it
        pp.putAll(kafka.getConfig());
        pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(pp);
        Properties cp = new Properties();
        // every kafka.* setting (bootstrap servers, TLS, SASL) as micronaut-kafka resolves it
        cp.putAll(kafka.getConfig());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "mcp-service-legacy-replies-" + UUID.randomUUID());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        cp.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(cp);
        this.thread = Thread.ofPlatform().daemon().name("legacy-replies").start(this);
    }

    /** Writes {@code json} on the session's stream: here if this replica holds it, else through Kafka. */
    void deliver(String sessionNonce, String json) {
        var local = hub.ofSession(sessionNonce);
        if (local.isPresent()) {
            local.get().send(json);
            return;
        }
        producer.send(new ProducerRecord<>(TOPIC, sessionNonce, json), (md, e) -> {
            if (e != null) {
                LOG.warn("could not hand an answer to the replica holding its stream: {}", e.getMessage());
            }
        });
    }

    @Override
    public void run() {
        try {
            while (running && !assign()) {
                Thread.sleep(500);
            }
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    hub.ofSession(r.key()).ifPresent(s -> s.send(r.value()));
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("legacy replies consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean assign() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        }
        if (partitions == null || partitions.isEmpty()) {
            // The topic appears with the first answer that had to travel; creating it here makes that answer arrive.
            try {
                producer.partitionsFor(TOPIC);
            } catch (RuntimeException e) {
                // not there yet; asked again on the next round
            }
            return false;
        }
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position);
        return true;
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(3000);
        producer.close(Duration.ofSeconds(2));
    }
}
