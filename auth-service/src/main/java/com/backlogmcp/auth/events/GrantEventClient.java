package com.backlogmcp.auth.events;

import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;

/** Producer for {@code auth.grants.v1}; a blocking send, so a caller knows the broker has the event. */
@KafkaClient(id = "grant-events", acks = KafkaClient.Acknowledge.ALL)
interface GrantEventClient {

    @Topic(Topics.GRANTS)
    void send(@KafkaKey String credentialId, GrantEvent event);
}
