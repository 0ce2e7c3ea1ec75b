package com.backlogmcp.audit.usage;

import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.util.List;

/** Answer of {@code GET /internal/usage/daily}: {@code from} and {@code to} are inclusive UTC days. */
@Serdeable
public record DailyUsageReport(String projectId, LocalDate from, LocalDate to, List<DailyToolUsage> days) {
}
