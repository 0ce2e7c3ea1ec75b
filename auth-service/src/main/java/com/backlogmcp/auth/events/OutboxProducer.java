package com.backlogmcp.auth.events;

import io.micronaut.configuration.kafka.annotation.KafkaClient;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;

/** The outbox relay's Kafka producer (acks=all, idempotent: configured under kafka.producers.default). */
@Singleton
final class OutboxProducer {

    private final Producer<String, byte[]> producer;

    OutboxProducer(@KafkaClient("auth-outbox") Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    Producer<String, byte[]> producer() {
        return producer;
    }
}
