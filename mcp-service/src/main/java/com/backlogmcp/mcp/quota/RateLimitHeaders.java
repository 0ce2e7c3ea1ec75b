package com.backlogmcp.mcp.quota;

import io.micronaut.core.annotation.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one builder of the per-credential rate headers the edge sends: {@code X-RateLimit-Limit},
 * {@code X-RateLimit-Remaining} (never negative), {@code X-RateLimit-Reset} (epoch seconds of the minute's end)
 * and, on a 429, {@code Retry-After} (whole seconds until the reset, at least 1). Every answer to a metered
 * method carries the first three; only a refusal carries {@code Retry-After}.
 */
public final class RateLimitHeaders {

    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    /** The rate window as the headers describe it. */
    public record RateWindow(long limit, long remaining, Instant resetsAt) {
    }

    private RateLimitHeaders() {
    }

    /** The headers of an answer under {@code window} (none when nothing is known about the window). */
    public static Map<String, String> of(@Nullable RateWindow window) {
        if (window == null) {
            return Map.of();
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put(LIMIT, Long.toString(window.limit()));
        h.put(REMAINING, Long.toString(Math.max(0, window.remaining())));
        h.put(RESET, Long.toString(window.resetsAt().getEpochSecond()));
        return h;
    }

    /** The headers of a 429: the window with nothing remaining, and {@code Retry-After}. */
    public static Map<String, String> refused(RateWindow window, Clock clock) {
        Map<String, String> h = new LinkedHashMap<>(of(new RateWindow(window.limit(), 0, window.resetsAt())));
        h.put(RETRY_AFTER, Long.toString(retryAfterSeconds(window.resetsAt(), clock)));
        return h;
    }

    public static long retryAfterSeconds(Instant resetsAt, Clock clock) {
        return Math.max(1, Duration.between(clock.instant(), resetsAt).toSeconds() + 1);
    }
}
