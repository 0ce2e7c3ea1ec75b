package com.backlogmcp.mcp.stream;

import com.backlogmcp.contracts.events.BacklogChangeEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.broadcast.BroadcastFeed;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Reads {@code backlog.changes.v1} on every replica, from its end ({@link BroadcastFeed}), because the replica holding
 * a client's stream is the one that must notify it, whichever replica took the write. Polls every 100 ms, so a change
 * reaches a subscribed client well within a second of backlog-service publishing it. What happened while a replica
 * was down is not replayed to streams that did not exist then.
 */
@Context
final class BacklogChangesConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogChangesConsumer.class);

    private final Notifier notifier;
    private final StreamHub hub;
    private final JsonMapper json;
    private final BroadcastFeed<byte[]> feed;

    BacklogChangesConsumer(Notifier notifier, StreamHub hub, JsonMapper json, KafkaDefaultConfiguration kafka) {
        this.notifier = notifier;
        this.hub = hub;
        this.json = json;
        this.feed = BroadcastFeed.of("mcp-service-changes", Topics.BACKLOG_CHANGES, kafka, new ByteArrayDeserializer())
                .start(this::apply);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (hub.all().isEmpty()) {
            return; // no stream here to notify
        }
        BacklogChangeEvent event;
        try {
            event = json.readValue(record.value(), BacklogChangeEvent.class);
        } catch (IOException e) {
            LOG.warn("ignoring unreadable change at offset {}: {}", record.offset(), e.getMessage());
            return;
        }
        if (event != null && event.kind() != null) {
            notifier.onChange(event);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        feed.close();
    }
}
