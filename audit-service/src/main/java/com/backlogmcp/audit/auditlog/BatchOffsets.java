package com.backlogmcp.audit.auditlog;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Manual offset handling for batch listeners whose rows must be durable before the offsets move: commit the batch
 * after its transaction, or rewind to its first offsets to read it again.
 */
public final class BatchOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOffsets.class);

    private BatchOffsets() {
    }

    /** Commits the offsets after the batch. A failure only means the batch is read again, which is a no-op. */
    public static void commit(List<? extends ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<?, ?> r : records) {
            next.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        try {
            try {
                consumer.commitSync(next);
            } catch (WakeupException e) {
                // Shutting down: the wake-up is spent on this call, so commit once more (the rows are durable), then
                // re-arm the wake-up so the poll loop still sees it and stops.
                try {
                    consumer.commitSync(next);
                } finally {
                    consumer.wakeup();
                }
            }
        } catch (KafkaException e) {
            // e.g. the partition moved to another replica meanwhile; it re-reads the batch and finds the rows.
            LOG.warn("offset commit failed after storing the batch ({}); it will be re-read", e.getClass().getSimpleName());
        }
    }

    /** Seeks every partition of the batch back to its first record, so the next poll returns the batch again. */
    public static void rewind(List<? extends ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<?, ?> r : records) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        try {
            first.forEach(consumer::seek);
        } catch (IllegalStateException e) {
            // partition no longer assigned: its new owner starts from the last committed offset anyway
            LOG.debug("cannot seek back a partition that was revoked", e);
        }
    }
}
