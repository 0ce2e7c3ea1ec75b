package com.backlogmcp.mcp.audit;

import com.backlogmcp.contracts.events.ToolCallEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes {@code mcp.tool-calls.v1} without making calls wait for Kafka: events queue in memory and a sender
 * thread ships them in batches, retrying while Kafka is unreachable. The queue is bounded: a call first takes a
 * slot ({@link #reserveSlot()}), so when Kafka has been away long enough to fill it, calls are refused
 * (UPSTREAM_UNAVAILABLE) rather than run without an audit record. A slot is given back once its event is stored.
 */
@Singleton
public class AuditTrail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final int BATCH = 500;

    private final Semaphore slots;
    private final int capacity;
    private final LinkedBlockingDeque<ToolCallEvent> queue = new LinkedBlockingDeque<>();
    private final EventSink sink;
    private final Thread sender;
    private volatile boolean running = true;

    /** Where events go; Kafka in production, swappable so the buffer's behaviour can be tested on its own. */
    public interface EventSink extends AutoCloseable {
        /** Stores the events; answers those that could not be stored (to retry). */
        List<ToolCallEvent> store(List<ToolCallEvent> events);

        @Override
        default void close() {
        }
    }

    @Inject
    public AuditTrail(EdgeConfiguration config, JsonMapper json,
                      @Value("${kafka.bootstrap.servers}") String bootstrap,
                      @Value("${backlogmcp.audit.kafka-bootstrap-servers:}") String override) {
        // The override exists so a test can point only the audit producer at an unreachable broker.
        this(config.auditBuffer(), new KafkaSink(json, override == null || override.isBlank() ? bootstrap : override));
    }

    public AuditTrail(int capacity, EventSink sink) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
        this.sink = sink;
        this.sender = Thread.ofPlatform().daemon().name("audit-sender").start(this::sendLoop);
    }

    /** Takes a slot for one future event; false when the buffer is full. */
    public boolean reserveSlot() {
        return slots.tryAcquire();
    }

    /** Queues an event for a slot taken with {@link #reserveSlot()}. */
    public void record(ToolCallEvent event) {
        queue.addLast(event);
    }

    /** Queues an event without a reserved slot (a denied call), dropping it if the buffer is full. */
    public void recordIfRoom(ToolCallEvent event) {
        if (slots.tryAcquire()) {
            queue.addLast(event);
        } else {
            LOG.warn("audit buffer full; dropping the record of a denied call {}", event.eventId());
        }
    }

    /** Gives back a slot that will not be used (the call stopped before it ran). */
    public void releaseSlot() {
        slots.release();
    }

    public int pending() {
        return capacity - slots.availablePermits();
    }

    private void sendLoop() {
        long backoffMs = 200;
        while (running) {
            try {
                ToolCallEvent first = queue.pollFirst(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<ToolCallEvent> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                List<ToolCallEvent> failed = sink.store(batch);
                slots.release(batch.size() - failed.size());
                if (failed.isEmpty()) {
                    backoffMs = 200;
                } else {
                    for (int i = failed.size() - 1; i >= 0; i--) {
                        queue.addFirst(failed.get(i));
                    }
                    LOG.warn("{} audit events wait for Kafka; retrying in {} ms", queue.size(), backoffMs);
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("audit sender error", e);
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        // Give queued events a last chance before the process goes away.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sink.close();
        } catch (Exception e) {
            LOG.debug("closing audit sink", e);
        }
    }

    /** Kafka: keyed by projectId, acks=all, idempotent producer. */
    static final class KafkaSink implements EventSink {
        private final JsonMapper json;
        private final KafkaProducer<String, byte[]> producer;

        KafkaSink(JsonMapper json, String bootstrap) {
            this.json = json;
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "8000");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            this.producer = new KafkaProducer<>(p);
        }

        @Override
        public List<ToolCallEvent> store(List<ToolCallEvent> events) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
            List<ToolCallEvent> failed = new ArrayList<>();
            for (ToolCallEvent e : events) {
                try {
                    sent.add(producer.send(new ProducerRecord<>(Topics.TOOL_CALLS, e.projectId(), json.writeValueAsBytes(e))));
                } catch (IOException | RuntimeException ex) {
                    sent.add(null);
                }
            }
            producer.flush();
            for (int i = 0; i < events.size(); i++) {
                Future<RecordMetadata> f = sent.get(i);
                try {
                    if (f == null) {
                        failed.add(events.get(i));
                    } else {
                        f.get(10, TimeUnit.SECONDS);
                    }
                } catch (Exception ex) {
                    failed.add(events.get(i));
                }
            }
            return failed;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
