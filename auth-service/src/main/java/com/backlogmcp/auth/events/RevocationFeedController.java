package com.backlogmcp.auth.events;

import com.backlogmcp.contracts.internal.RevocationPage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code GET /internal/revocations?after=<cursor>&limit=} or {@code ?since=<ISO-8601 instant>&limit=} (service
 * credential only, like every /internal path): the grants and API keys revoked after the cursor, for edges that poll
 * beside {@code auth.grants.v1} so that revocation holds within a second while Kafka is away. One indexed range read
 * per call; an edge asks with {@code since} once, when it starts, then with the {@code next} it was given.
 */
@Controller("/internal/revocations")
@ExecuteOn(TaskExecutors.BLOCKING)
final class RevocationFeedController {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1000;

    private final RevocationFeed feed;

    RevocationFeedController(RevocationFeed feed) {
        this.feed = feed;
    }

    @Get
    HttpResponse<?> list(@Nullable @QueryValue String after, @Nullable @QueryValue String since,
                         @Nullable @QueryValue String limit) {
        if ((after == null) == (since == null)) {
            return invalid("exactly one of after (a cursor) or since (an ISO-8601 instant) is required");
        }
        int pageSize = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                pageSize = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                pageSize = -1;
            }
            if (pageSize < 1 || pageSize > MAX_LIMIT) {
                return invalid("limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        long cursor;
        if (after != null) {
            try {
                cursor = Long.parseLong(after);
            } catch (NumberFormatException e) {
                cursor = -1;
            }
            if (cursor < 0) {
                return invalid("after must be a cursor this endpoint returned (a non-negative integer)");
            }
        } else {
            Instant from;
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                return invalid("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
            // Before the first row means from the first row, after now means from the end: clamped, so that no
            // instant Java can parse becomes one PostgreSQL cannot store.
            Instant now = Instant.now();
            cursor = feed.cursorAt(from.isBefore(Instant.EPOCH) ? Instant.EPOCH : from.isAfter(now) ? now : from);
        }
        RevocationPage page = feed.after(cursor, pageSize);
        return HttpResponse.ok(page).header("Cache-Control", "no-store");
    }

    private static HttpResponse<?> invalid(String message) {
        return HttpResponse.badRequest(Map.of("error", "invalid_request", "message", message));
    }
}
