package com.backlogmcp.audit.auditlog;

import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Stops the Kafka consumers as soon as graceful shutdown begins. Without this, the consumer's poll loop keeps the
 * executor busy until the whole grace period has passed (the loop only ends when the beans are closed). The wake-up
 * interrupts only Kafka calls: a batch being written finishes its transaction and commits its offsets first.
 */
@Singleton
@Requires(property = "backlogmcp.audit-log.consumer-enabled", notEquals = "false")
class ConsumerShutdown implements GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerShutdown.class);

    private final ConsumerRegistry consumers;

    ConsumerShutdown(ConsumerRegistry consumers) {
        this.consumers = consumers;
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        for (String id : consumers.getConsumerIds()) {
            try {
                consumers.getConsumer(id).wakeup();
            } catch (RuntimeException e) {
                LOG.debug("consumer {} already stopped", id, e);
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
