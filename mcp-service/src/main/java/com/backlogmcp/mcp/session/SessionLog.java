package com.backlogmcp.mcp.session;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import com.backlogmcp.mcp.broadcast.BroadcastFeed;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Facts about sessions that every replica must know — a session ended early, a resource subscribed to — published
 * on the Kafka topic {@code mcp.sessions.v1} (key: the session's nonce; value: the fact, carrying the session's
 * expiry). Every replica reads the whole topic ({@link BroadcastFeed}) from one session lifetime back, so a replica started later still knows what happened to the sessions that may still be presented.
 */
@Context
public class SessionLog {

    public static final String TOPIC = "mcp.sessions.v1";
    private static final Logger LOG = LoggerFactory.getLogger(SessionLog.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private final SessionIds ids;
    private final KafkaProducer<String, String> producer;
    private final BroadcastFeed<String> feed;

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
        this.feed = BroadcastFeed.of("mcp-service-sessions", TOPIC, kafka, new StringDeserializer())
                .from(() -> Instant.now().minus(ids.ttl()))
                .whileTopicMissing(this::createTopic)
                .start(r -> listeners.forEach(l -> l.accept(r.key(), r.value())));
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

    @PreDestroy
    void close() throws InterruptedException {
        feed.close();
        producer.close(Duration.ofSeconds(2));
    }
}
