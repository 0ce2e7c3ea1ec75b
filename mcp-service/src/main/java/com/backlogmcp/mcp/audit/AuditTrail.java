package com.backlogmcp.mcp.audit;

import com.backlogmcp.contracts.events.ToolCallEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** The audit producer's id: its settings live under {@code kafka.producers.mcp-audit} (linger, batch size). */
    public static final String PRODUCER_ID = "mcp-audit";

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

    /**
     * The producer is micronaut-kafka's, configured under {@code kafka.producers.mcp-audit} on top of every
     * {@code kafka.*} setting (TLS, SASL, bootstrap servers), so an operator's Kafka security settings reach it.
     */
    @Inject
    public AuditTrail(EdgeConfiguration config, JsonMapper json, @KafkaClient(PRODUCER_ID) Producer<String, byte[]> producer) {
        this(config.auditBuffer(), new KafkaSink(json, producer));
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

    /**
     * Kafka: keyed by projectId, acks=all, idempotent producer. A batch is handed to the producer whole and then
     * awaited: the producer's linger ({@code kafka.producers.mcp-audit.linger.ms}) packs the events of a batch,
     * and of the calls that finish meanwhile, into few produce requests, so the broker does not see one request
     * per call. Each event is encoded once, straight to bytes.
     */
    static final class KafkaSink implements EventSink {
        private final JsonMapper json;
        private final Producer<String, byte[]> producer;

        KafkaSink(JsonMapper json, Producer<String, byte[]> producer) {
            this.json = json;
            this.producer = producer;
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
            // micronaut-kafka owns the producer and closes it after this bean is gone.
        }
    }
}
