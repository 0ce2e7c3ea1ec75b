package com.backlogmcp.backlog.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How the change outbox is relayed to Kafka and pruned (names and defaults in application.yml). The relay's poll
 * interval is read by its {@code @Scheduled} annotation from the same property, since an annotation cannot take a
 * record's value; it is kept here so a bad value is refused at start-up like the others.
 *
 * @param pollInterval OUTBOX_POLL_INTERVAL: how often a relay pass runs besides the one after each commit with events
 * @param sendTimeout  OUTBOX_SEND_TIMEOUT: how long a pass waits for Kafka's acknowledgement of a batch
 * @param retention    OUTBOX_RETENTION: how long published rows are kept for diagnosis
 */
@Context
@ConfigurationProperties("backlogmcp.outbox")
public record OutboxSettings(
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Bindable(defaultValue = "10s") Duration sendTimeout,
        @Bindable(defaultValue = "7d") Duration retention) {

    public OutboxSettings {
        BacklogSettings.requirePositive(pollInterval, "OUTBOX_POLL_INTERVAL");
        BacklogSettings.requirePositive(sendTimeout, "OUTBOX_SEND_TIMEOUT");
        BacklogSettings.requirePositive(retention, "OUTBOX_RETENTION");
    }
}
