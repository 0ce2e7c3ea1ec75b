package com.backlogmcp.mcp.quota;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** What {@link QuotaLeases#acquire} decided for one call. */
public sealed interface QuotaVerdict {

    /** The rate window this call was measured against (for the rate headers), if known. */
    @Nullable
    RateLimitHeaders.RateWindow rateWindow();

    /** Slots taken from memory: one of the credential's minute and, for a tool call, one of the project's day. */
    record Granted(HeldSlots slots) implements QuotaVerdict {
        @Override
        public RateLimitHeaders.RateWindow rateWindow() {
            return slots.rateWindow();
        }
    }

    /** The credential's per-minute rate is spent until {@code window.resetsAt()}. */
    record RateLimited(RateLimitHeaders.RateWindow rateWindow) implements QuotaVerdict {
    }

    /** The project's daily quota is spent: {@code limit}, {@code used} and the reset, as QUOTA_EXCEEDED shows them. */
    record DailyQuotaSpent(long limit, long used, Instant resetsAt,
                           @Nullable RateLimitHeaders.RateWindow rateWindow) implements QuotaVerdict {
    }
}
