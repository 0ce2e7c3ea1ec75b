package com.backlogmcp.audit.usage;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.audit.web.QueryParams;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Usage for auth-service's pages. {@code GET /internal/usage/daily?projectId=&from=&to=} (inclusive UTC days, default the
 * last 30) and {@code GET /internal/usage/last-used?credentialIds=a,b,c}. The caller decides who may see which project
 * or credential; this service only requires a service credential (the {@code /internal/**} filter).
 */
@Controller("/internal/usage")
@ExecuteOn(TaskExecutors.BLOCKING)
class UsageController {

    static final int MAX_DAYS = 366;
    static final int MAX_CREDENTIALS = 200;

    private final UsageReader reader;
    private final Clock clock;

    UsageController(UsageReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    @Get("/daily")
    DailyUsageReport daily(@Nullable @QueryValue String projectId, @Nullable @QueryValue String from,
                           @Nullable @QueryValue String to) {
        String project = QueryParams.id("projectId", projectId);
        if (project == null) {
            throw new InvalidRequestException("projectId is required");
        }
        LocalDate last = QueryParams.date("to", to);
        if (last == null) {
            last = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        }
        LocalDate first = QueryParams.date("from", from);
        if (first == null) {
            first = last.minusDays(29);
        }
        if (first.isAfter(last)) {
            throw new InvalidRequestException("from must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new InvalidRequestException("at most " + MAX_DAYS + " days per query");
        }
        return new DailyUsageReport(project, first, last, reader.daily(project, first, last));
    }

    @Get("/last-used")
    LastUsedReport lastUsed(@Nullable @QueryValue String credentialIds) {
        if (credentialIds == null || credentialIds.isBlank()) {
            throw new InvalidRequestException("credentialIds is required (comma-separated)");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String part : credentialIds.split(",", -1)) {
            String id = QueryParams.id("credentialIds", part.trim());
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw new InvalidRequestException("credentialIds is required (comma-separated)");
        }
        if (ids.size() > MAX_CREDENTIALS) {
            throw new InvalidRequestException("at most " + MAX_CREDENTIALS + " credentialIds per query");
        }
        return new LastUsedReport(reader.lastUsed(ids));
    }
}
