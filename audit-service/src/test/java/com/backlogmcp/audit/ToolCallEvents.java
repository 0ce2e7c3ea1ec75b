package com.backlogmcp.audit;

import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.embedded.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Publishes {@code mcp.tool-calls.v1} records the way mcp-service does (JSON, keyed by projectId). */
public final class ToolCallEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));

    public static String json(String eventId, Instant at, String projectId, String userId, String grantId, String keyId,
                              String tool, String outcome) {
        return "{\"eventId\":\"" + eventId + "\",\"at\":\"" + at + "\",\"projectId\":\"" + projectId
                + "\",\"workspaceId\":\"ws_test\",\"userId\":\"" + userId + "\",\"clientId\":\"client_test\","
                + "\"grantId\":" + quoted(grantId) + ",\"keyId\":" + quoted(keyId) + ",\"tool\":\"" + tool
                + "\",\"argsHash\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"outcome\":\""
                + outcome + "\",\"errorType\":" + ("ok".equals(outcome) ? "null" : "\"NOT_FOUND\"")
                + ",\"latencyMs\":12,\"requestId\":\"req-" + eventId + "\"}";
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    public void send(String projectId, String json) {
        send(projectId, json.getBytes(StandardCharsets.UTF_8));
    }

    public void send(String projectId, byte[] value) {
        producer.send(new ProducerRecord<>(Topics.TOOL_CALLS, projectId, value));
    }

    public void sendTo(String topic, String key, String json) {
        producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8)));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
