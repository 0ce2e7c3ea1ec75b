package com.backlogmcp.audit.usage;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/** Answer of {@code GET /internal/usage/last-used}: credentials never used are absent from the map. */
@Serdeable
public record LastUsedReport(Map<String, Instant> lastUsed) {
}
