package com.backlogmcp.mcp.credential;

import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.broadcast.BroadcastFeed;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;

/**
 * Feeds the {@link GrantDenylist} from {@code auth.grants.v1} (beside {@link RevocationPoller}, which asks
 * auth-service directly, so that revocation does not depend on Kafka). Every replica must see every revocation, so
 * each reads the whole topic ({@link BroadcastFeed}) and, on start, rewinds to the events of the last
 * denylist-retention window so a token revoked just before a restart stays refused. Polls every 100 ms: a revocation
 * takes effect well within a second.
 */
@Context
final class GrantEventsConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(GrantEventsConsumer.class);

    private final RevocationIntake intake;
    private final JsonMapper json;
    private final BroadcastFeed<byte[]> feed;

    GrantEventsConsumer(RevocationIntake intake, JsonMapper json, EdgeConfiguration config,
                        KafkaDefaultConfiguration kafka) {
        this.intake = intake;
        this.json = json;
        this.feed = BroadcastFeed.of("mcp-service-denylist", Topics.GRANTS, kafka, new ByteArrayDeserializer())
                .from(() -> Instant.now().minus(config.denylistRetention()))
                .start(this::apply);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        GrantEvent event;
        try {
            event = json.readValue(record.value(), GrantEvent.class);
        } catch (IOException e) {
            LOG.warn("ignoring unreadable grant event at offset {}", record.offset());
            return;
        }
        if (event != null && event.isRevocation() && event.credentialId() != null
                && intake.revoked(event.credentialId(), event.at())) {
            LOG.info("credential {} revoked ({})", event.credentialId(), event.reason());
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        feed.close();
    }
}
