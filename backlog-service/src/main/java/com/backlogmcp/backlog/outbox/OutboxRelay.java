package com.backlogmcp.backlog.outbox;

import com.backlogmcp.backlog.config.OutboxSettings;
import com.backlogmcp.backlog.support.ConnectionQueries;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks them published.
 *
 * <p>Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work without sending a row twice
 * at the same time; a row is marked only after Kafka acknowledged it, so a crash between commit and publish (or
 * between publish and mark) re-sends it on the next pass: at-least-once, and consumers are idempotent on eventId.
 * It runs on a schedule and is also woken right after a transaction that wrote events commits.
 */
@Singleton
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final TransactionOperations<Connection> tx;
    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;
    private final ExecutorService wakeups = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    OutboxRelay(TransactionOperations<Connection> tx, OutboxProducer producer, OutboxSettings settings) {
        this.tx = tx;
        this.producer = producer.producer();
        this.sendTimeout = settings.sendTimeout();
    }

    /** Asks for a pass soon, off the caller's thread; several wake-ups in a row collapse into one pass. */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            wakeups.execute(() -> {
                wakeQueued.set(false);
                relaySafely();
            });
        }
    }

    // OutboxSettings.pollInterval() holds the same property, checked at start-up; an annotation needs the placeholder.
    @Scheduled(fixedDelay = "${backlogmcp.outbox.poll-interval:1s}", initialDelay = "2s")
    void poll() {
        relaySafely();
    }

    private void relaySafely() {
        try {
            while (relayBatch() == BATCH) {
                // keep draining a backlog
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox relay pass failed; rows stay pending and are retried: {}", e.toString());
        }
    }

    /** Publishes one batch in one transaction; answers how many rows were published. */
    synchronized int relayBatch() {
        return tx.executeWrite(status -> {
            ConnectionQueries sql = new ConnectionQueries(status.getConnection());
            List<Pending> rows = sql.list("""
                    SELECT seq, topic, event_key, payload::text AS payload FROM outbox
                     WHERE published_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""",
                    rs -> new Pending(rs.getLong("seq"), rs.getString("topic"), rs.getString("event_key"),
                            rs.getString("payload")), BATCH);
            for (Pending row : rows) {
                send(row);
                sql.update("UPDATE outbox SET published_at = now() WHERE seq = ?", row.seq());
            }
            return rows.size();
        });
    }

    private void send(Pending row) {
        try {
            producer.send(new ProducerRecord<>(row.topic(), row.key(), row.payload().getBytes(StandardCharsets.UTF_8)))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing outbox row " + row.seq(), e);
        } catch (Exception e) {
            throw new IllegalStateException("publishing outbox row " + row.seq() + " failed", e);
        }
    }

    @Override
    public void close() {
        wakeups.shutdownNow();
    }

    private record Pending(long seq, String topic, String key, String payload) {
    }
}
