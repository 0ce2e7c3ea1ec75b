package com.backlogmcp.auth;

import com.backlogmcp.contracts.events.Topics;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import net.minidev.json.JSONObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads {@code auth.grants.v1} from the beginning and answers {@code type:reason} of the events with a given key.
 * Events leave through the outbox relay after commit, so a test that just made a change waits with {@link #awaitEventsFor}.
 */
public final class GrantEventsReader {

    private GrantEventsReader() {
    }

    /** Reads until at least {@code count} events with that key are on the topic, or 15 s passed; answers what it saw. */
    public static List<String> awaitEventsFor(String credentialId, int count) {
        long deadline = System.currentTimeMillis() + 15_000;
        List<String> seen = eventsFor(credentialId);
        while (seen.size() < count && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            seen = eventsFor(credentialId);
        }
        return seen;
    }

    public static List<String> eventsFor(String credentialId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", TestStack.properties().get("kafka.bootstrap.servers"));
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.GRANTS).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(200))) {
                    if (credentialId.equals(rec.key())) {
                        try {
                            JSONObject e = JSONObjectUtils.parse(rec.value());
                            out.add(e.get("type") + ":" + e.get("reason"));
                        } catch (com.nimbusds.oauth2.sdk.ParseException ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                }
            }
        }
        return out;
    }
}
