package com.backlogmcp.auth.usage;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Daily calls per id (project, workspace or credential) for the last days up to today, oldest first, as audit-service's
 * {@code GET /internal/usage/series} answers them; plus today's exact quota counters per project and each plan's limit.
 */
public record UsageSeries(LocalDate from, LocalDate to, Map<String, List<Long>> calls, Map<String, Long> quotaUsedToday,
                          Map<String, Long> dailyLimits) {

    public int days() {
        return (int) java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
    }

    public List<Long> of(String id) {
        return calls.getOrDefault(id, Collections.nCopies(days(), 0L));
    }

    /** Calls today as the audit log counts them. */
    public long today(String id) {
        List<Long> series = of(id);
        return series.isEmpty() ? 0 : series.getLast();
    }

    /** Today's quota counter of a project (exact, the number the quota is judged by); the log's count otherwise. */
    public long quotaUsed(String projectId) {
        return quotaUsedToday.getOrDefault(projectId, today(projectId));
    }

    /** The plan's daily limit; null when the plan is unknown, negative when unlimited. */
    public Long limit(String plan) {
        return plan == null ? null : dailyLimits.get(plan);
    }
}
