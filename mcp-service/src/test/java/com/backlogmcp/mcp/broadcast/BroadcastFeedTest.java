package com.backlogmcp.mcp.broadcast;

import com.backlogmcp.embedded.TestInfrastructure;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every replica's feed reads every record of every partition, from a moment back, past a record it cannot take. */
class BroadcastFeedTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static Environment environment;
    private static KafkaDefaultConfiguration kafka;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void kafka() {
        String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
        environment = new DefaultEnvironment(() -> List.of("test"));
        environment.addPropertySource(PropertySource.of("test", Map.of("kafka.bootstrap.servers", bootstrap)));
        environment.start();
        kafka = new KafkaDefaultConfiguration(environment);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
        environment.stop();
    }

    private static String topic(int partitions) throws Exception {
        String topic = "broadcast-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static void send(String topic, Integer partition, long timestamp, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value)).get(10, TimeUnit.SECONDS);
    }

    private static void await(Set<String> seen, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(seen.containsAll(expected), () -> "saw " + seen + ", expected " + expected);
    }

    @Test
    void twoReplicasWhenTopicHasSeveralPartitionsThenEachReadsEveryRecord() throws Exception {
        String topic = topic(3);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 30; i++) {
            send(topic, i % 3, now, "k" + i, "v" + i);
        }
        Set<String> first = ConcurrentHashMap.newKeySet();
        Set<String> second = ConcurrentHashMap.newKeySet();
        try (var a = BroadcastFeed.of("feed-a", topic, kafka, new StringDeserializer())
                .from(() -> Instant.now().minusSeconds(60)).start(r -> first.add(r.value()));
             var b = BroadcastFeed.of("feed-b", topic, kafka, new StringDeserializer())
                .from(() -> Instant.now().minusSeconds(60)).start(r -> second.add(r.value()))) {
            Set<String> all = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 30; i++) {
                all.add("v" + i);
            }
            await(first, all);
            await(second, all);
        }
    }

    @Test
    void startWhenRecordsOlderThanTheWindowThenOnlyNewerOnesAreRead() throws Exception {
        String topic = topic(1);
        long now = System.currentTimeMillis();
        send(topic, 0, now - Duration.ofMinutes(10).toMillis(), "old", "old");
        send(topic, 0, now, "new", "new");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (var feed = BroadcastFeed.of("feed-window", topic, kafka, new StringDeserializer())
                .from(() -> Instant.now().minusSeconds(60)).start(r -> seen.add(r.value()))) {
            await(seen, Set.of("new"));
            send(topic, 0, System.currentTimeMillis(), "later", "later");
            await(seen, Set.of("new", "later"));
            assertFalse(seen.contains("old"), "a record older than the window is not replayed");
        }
    }

    @Test
    void handlerWhenOneRecordFailsThenTheFeedGoesOn() throws Exception {
        String topic = topic(1);
        long now = System.currentTimeMillis();
        send(topic, 0, now, "bad", "bad");
        send(topic, 0, now, "good", "good");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (var feed = BroadcastFeed.of("feed-bad-record", topic, kafka, new StringDeserializer())
                .from(() -> Instant.now().minusSeconds(60)).start(r -> {
                    if (r.value().equals("bad")) {
                        throw new IllegalArgumentException("cannot take it");
                    }
                    seen.add(r.value());
                })) {
            await(seen, Set.of("good"));
        }
    }

    @Test
    void startWhenTopicMissingThenWaitsRunsTheHookAndReadsOnceItExists() throws Exception {
        String topic = "broadcast-test-late-" + UUID.randomUUID();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> created = ConcurrentHashMap.newKeySet();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().kafkaBootstrapServers()));
             var feed = BroadcastFeed.of("feed-late", topic, kafka, new StringDeserializer())
                     .from(() -> Instant.now().minusSeconds(60))
                     .whileTopicMissing(() -> {
                         if (created.add(topic)) {
                             admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)));
                         }
                     })
                     .start(r -> seen.add(r.value()))) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (created.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(Set.of(topic), created, "the hook ran while the topic was missing");
            send(topic, 1, System.currentTimeMillis(), "first", "first");
            await(seen, Set.of("first"));
        }
    }
}
