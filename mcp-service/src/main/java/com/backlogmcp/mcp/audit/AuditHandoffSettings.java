package com.backlogmcp.mcp.audit;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * When the edge hands its audit events to audit-service over HTTP instead of waiting for Kafka (defaults in
 * application.yml, documented in README and docs/reliability.md).
 *
 * @param after          MCP_AUDIT_HANDOFF_AFTER: an event Kafka has not taken once it is this old goes to
 *                       audit-service; short, so a Kafka outage leaves little in memory for a crash to lose
 * @param shutdownBudget MCP_AUDIT_SHUTDOWN_BUDGET: how long closing the edge may spend delivering what is still
 *                       buffered; preStop pause + SHUTDOWN_GRACE_PERIOD + this must stay below the pod's
 *                       terminationGracePeriodSeconds
 */
@ConfigurationProperties("backlogmcp.audit-handoff")
public record AuditHandoffSettings(Duration after, Duration shutdownBudget) {
}
