package com.backlogmcp.mcp.legacy;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import com.backlogmcp.mcp.stream.StreamHub;
import io.micronaut.context.annotation.Context;
import com.backlogmcp.mcp.broadcast.BroadcastFeed;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;

/**
 * On the legacy HTTP+SSE transport the answer to a POST travels on the session's SSE stream, which one replica holds.
 * The replica taking the POST writes the answer to the stream itself when it holds it; otherwise it publishes the
 * answer on {@code mcp.legacy-replies.v1} (key: the session's nonce), which every replica reads whole from its end
 * ({@link BroadcastFeed}), and the holder writes it. Nothing is replayed: an answer for a stream that is gone is
 * dropped, as the client that would read it is gone too.
 */
@Context
final class LegacyReplies {

    static final String TOPIC = "mcp.legacy-replies.v1";
    private static final Logger LOG = LoggerFactory.getLogger(LegacyReplies.class);

    private final StreamHub hub;
    private final KafkaProducer<String, String> producer;
    private final BroadcastFeed<String> feed;

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
        // The topic appears with the first answer that had to travel; asking the producer for it while it is missing
        // creates it (auto-creation), so that first answer arrives.
        this.feed = BroadcastFeed.of("mcp-service-legacy-replies", TOPIC, kafka, new StringDeserializer())
                .whileTopicMissing(() -> producer.partitionsFor(TOPIC))
                .poll(Duration.ofMillis(50))
                .start(r -> hub.ofSession(r.key()).ifPresent(s -> s.send(r.value())));
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

    @PreDestroy
    void close() throws InterruptedException {
        feed.close();
        producer.close(Duration.ofSeconds(2));
    }
}
