package com.backlogmcp.mcp.audit;

import com.backlogmcp.contracts.events.ToolCallEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.neighbour.AuditClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes {@code mcp.tool-calls.v1} without making calls wait for Kafka: events queue in memory and a sender
 * thread ships them in batches, retrying while Kafka is unreachable. The queue is bounded: a call first takes a
 * slot ({@link #reserveSlot()}), so when Kafka has been away long enough to fill it, calls are refused
 * (UPSTREAM_UNAVAILABLE) rather than run without an audit record. A slot is given back once its event is stored.
 *
 * <p>When Kafka cannot take an event that has waited longer than {@code MCP_AUDIT_HANDOFF_AFTER}, the sender hands
 * it to audit-service over HTTP ({@code POST /internal/audit-log/events}) instead; on {@link #close()} everything
 * still buffered goes the same way at once. audit-service stores an event by its id whichever way it arrives, so an
 * event that reached both (a Kafka ack lost in the outage) is one row. What this promises:
 * <ul>
 *   <li>SIGTERM (graceful close): every buffered event reaches Kafka or audit-service, provided one of them answers
 *       within {@code MCP_AUDIT_SHUTDOWN_BUDGET}; otherwise the number lost is logged as an error.</li>
 *   <li>SIGKILL, OOM, a node lost: the events in memory at that moment are lost. While Kafka is away that is at most
 *       the events of the last {@code MCP_AUDIT_HANDOFF_AFTER} plus one delivery attempt (as long as audit-service
 *       answers); nothing is written to the pod's disk, which may not outlive the pod anyway.</li>
 *   <li>No duplicates in the audit log, by the event id.</li>
 * </ul>
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
    private final EventSink handoff;
    private final Duration handoffAfter;
    private final Duration shutdownBudget;
    private final AtomicLong handedOver = new AtomicLong();
    private final Thread sender;
    private volatile boolean closing;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether Kafka took the last batch offered to it: at close, decides which way to try first. */
    private volatile boolean kafkaTookLast = true;

    /** Where events go; Kafka or audit-service in production, swappable so the buffer can be tested on its own. */
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
    public AuditTrail(EdgeConfiguration config, AuditHandoffSettings handoff, JsonMapper json,
                      @KafkaClient(PRODUCER_ID) Producer<String, byte[]> producer, AuditClient audit,
                      MeterRegistry meters) {
        this(config.auditBuffer(), new KafkaSink(json, producer), new AuditHandoffSink(audit), handoff.after(),
                handoff.shutdownBudget());
        FunctionCounter.builder("mcp.audit.handed.over", this, AuditTrail::handedOver)
                .description("audit events handed to audit-service over HTTP because Kafka could not take them")
                .register(meters);
    }

    /** A trail without a hand-over: events wait for the sink alone. */
    public AuditTrail(int capacity, EventSink sink) {
        this(capacity, sink, events -> events, Duration.ofDays(1), Duration.ofSeconds(5));
    }

    public AuditTrail(int capacity, EventSink sink, EventSink handoff, Duration handoffAfter, Duration shutdownBudget) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
        this.sink = sink;
        this.handoff = handoff;
        this.handoffAfter = handoffAfter;
        this.shutdownBudget = shutdownBudget;
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

    /** Events audit-service took over HTTP because Kafka could not (since start). */
    public long handedOver() {
        return handedOver.get();
    }

    private void sendLoop() {
        long backoffMs = 200;
        while (!closing) {
            try {
                ToolCallEvent first = queue.pollFirst(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<ToolCallEvent> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                List<ToolCallEvent> failed = toKafkaElseHandOver(batch);
                slots.release(batch.size() - failed.size());
                if (failed.isEmpty()) {
                    backoffMs = 200;
                } else {
                    for (int i = failed.size() - 1; i >= 0; i--) {
                        queue.addFirst(failed.get(i));
                    }
                    if (!closing) {
                        LOG.warn("{} audit events wait for Kafka; retrying in {} ms", queue.size(), backoffMs);
                        Thread.sleep(backoffMs);
                        backoffMs = Math.min(backoffMs * 2, 5000);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("audit sender error", e);
            }
        }
    }

    /**
     * Offers the batch to Kafka; what Kafka refuses goes to audit-service if it has waited long enough (at once when
     * closing). Answers what neither took.
     */
    private List<ToolCallEvent> toKafkaElseHandOver(List<ToolCallEvent> batch) {
        List<ToolCallEvent> failed = sink.store(batch);
        kafkaTookLast = failed.isEmpty();
        if (failed.isEmpty()) {
            return failed;
        }
        Instant due = Instant.now().minus(closing ? Duration.ZERO : handoffAfter);
        List<ToolCallEvent> waitedLongEnough = new ArrayList<>();
        List<ToolCallEvent> keep = new ArrayList<>();
        for (ToolCallEvent e : failed) {
            (e.at() == null || !e.at().isAfter(due) ? waitedLongEnough : keep).add(e);
        }
        if (!waitedLongEnough.isEmpty()) {
            keep.addAll(handOver(waitedLongEnough));
        }
        return keep;
    }

    private List<ToolCallEvent> handOver(List<ToolCallEvent> events) {
        List<ToolCallEvent> refused;
        try {
            refused = handoff.store(events);
        } catch (RuntimeException e) {
            LOG.warn("audit hand-over failed", e);
            refused = events;
        }
        handedOver.addAndGet(events.size() - refused.size());
        return refused;
    }

    /**
     * Shutdown: done when the context announces it (the server has drained in-flight requests by then), while the
     * HTTP client to audit-service is still open; beans, that client included, are destroyed only afterwards.
     */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        close();
    }

    /**
     * Delivers what is buffered within {@code MCP_AUDIT_SHUTDOWN_BUDGET}: the calls have finished by now (the server
     * drained them during the grace period), so the buffer only shrinks. The way that answered last is tried first:
     * audit-service when Kafka was away, so an outage costs no Kafka timeout here. The sender finishes the batch it
     * holds, handing over at once what Kafka refuses, and stops.
     */
    @PreDestroy
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        long deadline = System.nanoTime() + shutdownBudget.toNanos();
        closing = true;
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            List<ToolCallEvent> batch = new ArrayList<>();
            queue.drainTo(batch, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            List<ToolCallEvent> failed = kafkaTookLast ? toKafkaElseHandOver(batch) : handOverElseToKafka(batch);
            slots.release(batch.size() - failed.size());
            if (!failed.isEmpty()) {
                for (int i = failed.size() - 1; i >= 0; i--) {
                    queue.addFirst(failed.get(i));
                }
                pauseBefore(deadline);
            }
        }
        try {
            sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int lost = pending();
        if (lost > 0) {
            LOG.error("{} audit events could not be delivered to Kafka or audit-service within {} and are lost",
                    lost, shutdownBudget);
        }
        try {
            sink.close();
            handoff.close();
        } catch (Exception e) {
            LOG.debug("closing audit sinks", e);
        }
    }

    private List<ToolCallEvent> handOverElseToKafka(List<ToolCallEvent> batch) {
        List<ToolCallEvent> refused = handOver(batch);
        if (refused.isEmpty()) {
            return refused;
        }
        List<ToolCallEvent> failed = sink.store(refused);
        kafkaTookLast = failed.isEmpty();
        return failed;
    }

    private static void pauseBefore(long deadline) {
        long ms = Math.min(200, (deadline - System.nanoTime()) / 1_000_000);
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
            boolean unreachable = false;
            for (ToolCallEvent e : events) {
                if (unreachable) {
                    sent.add(null);
                    continue;
                }
                try {
                    Future<RecordMetadata> f = producer.send(new ProducerRecord<>(Topics.TOOL_CALLS, e.projectId(), json.writeValueAsBytes(e)));
                    sent.add(f);
                    // Failed before it was queued: the producer waited max.block.ms for the topic's metadata, and
                    // every further send would wait as long again. The rest of the batch is not tried this round.
                    unreachable = f.isDone() && failedAlready(f);
                } catch (IOException ex) {
                    sent.add(null);
                } catch (RuntimeException ex) {
                    sent.add(null);
                    unreachable = true;
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

        private static boolean failedAlready(Future<RecordMetadata> f) {
            try {
                f.get();
                return false;
            } catch (Exception ex) {
                return true;
            }
        }

        @Override
        public void close() {
            // micronaut-kafka owns the producer and closes it after this bean is gone.
        }
    }
}
