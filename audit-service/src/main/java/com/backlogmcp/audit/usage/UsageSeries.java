package com.backlogmcp.audit.usage;

import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Answer of {@code GET /internal/usage/series}: for each asked id, the calls that counted against the quota (outcome
 * {@code ok} or {@code tool_error}) on each UTC day from {@code from} to {@code to} (inclusive, oldest first);
 * {@code quotaUsedToday} is the exact quota counter of today per project (only for {@code by=project}), and
 * {@code dailyLimits} the daily limit of each plan ({@code -1} = unlimited), so pages show "12 of 300 today".
 */
@Serdeable
public record UsageSeries(String by, LocalDate from, LocalDate to, Map<String, List<Long>> calls,
                          Map<String, Long> quotaUsedToday, Map<String, Long> dailyLimits) {
}
