package com.backlogmcp.auth.events;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks them published.
 *
 * <p>Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so auth replicas share the work without sending a row twice
 * at the same time; a row is marked only after Kafka acknowledged it, so a crash or a Kafka outage between commit and
 * publish (or between publish and mark) re-sends it on a later pass: at-least-once, and consumers are idempotent on
 * eventId (a repeated revocation is harmless at the edge). It is woken right after a transaction that wrote events
 * commits, and also sweeps on a short schedule, which is what delivers events written while Kafka was unreachable.
 */
@Singleton
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final TransactionOperations<Connection> tx;
    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;
    private final ExecutorService wakeups = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "grant-outbox-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    OutboxRelay(TransactionOperations<Connection> tx, OutboxProducer producer,
                @Value("${backlogmcp.outbox.send-timeout:10s}") Duration sendTimeout) {
        this.tx = tx;
        this.producer = producer.producer();
        this.sendTimeout = sendTimeout;
    }

    /** Asks for a pass soon, off the caller's thread; several wake-ups in a row collapse into one pass. */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                wakeups.execute(() -> {
                    wakeQueued.set(false);
                    relaySafely();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down: the row stays pending and the next running replica's sweep publishes it
                wakeQueued.set(false);
            }
        }
    }

    @Scheduled(fixedDelay = "${backlogmcp.outbox.poll-interval:500ms}", initialDelay = "1s")
    void poll() {
        relaySafely();
    }

    private void relaySafely() {
        try {
            while (relayBatch() == BATCH) {
                // keep draining a backlog
            }
        } catch (RuntimeException e) {
            LOG.warn("grant outbox relay pass failed; rows stay pending and are retried: {}", e.toString());
        }
    }

    /** Publishes one batch in one transaction; answers how many rows were published. */
    synchronized int relayBatch() {
        return tx.executeWrite(status -> {
            Connection c = status.getConnection();
            List<Pending> rows = claim(c);
            for (Pending row : rows) {
                send(row);
                try (PreparedStatement ps = c.prepareStatement("update outbox set published_at = now() where seq = ?")) {
                    ps.setLong(1, row.seq());
                    ps.executeUpdate();
                }
            }
            return rows.size();
        });
    }

    private static List<Pending> claim(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select seq, topic, event_key, payload::text as payload from outbox
                 where published_at is null order by seq limit ? for update skip locked""")) {
            ps.setInt(1, BATCH);
            List<Pending> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return rows;
        }
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
