package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * Answer of a quota reservation. {@code refusal} is null when granted, else {@code QUOTA_EXCEEDED} or
 * {@code RATE_LIMITED}. A daily limit of -1 means unlimited. A refused reservation is not counted.
 */
@Serdeable
public record QuotaDecision(
        boolean granted,
        @Nullable String refusal,
        long dailyLimit,
        long dailyUsed,
        long dailyRemaining,
        Instant dailyResetsAt,
        long rateLimit,
        long rateRemaining,
        Instant rateResetsAt) {
}
