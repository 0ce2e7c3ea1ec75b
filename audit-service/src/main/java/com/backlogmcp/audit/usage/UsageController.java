package com.backlogmcp.audit.usage;

import com.backlogmcp.audit.quota.QuotaLimits;
import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.contracts.vocabulary.Plan;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Usage for auth-service's pages. {@code GET /internal/usage/daily?projectId=&from=&to=} (inclusive UTC days, default the
 * last 30), {@code GET /internal/usage/series?by=&ids=&days=} and {@code GET /internal/usage/last-used?credentialIds=a,b,c}. The caller decides who may see which project
 * or credential; this service only requires a service credential (the {@code /internal/**} filter).
 */
@Controller("/internal/usage")
@ExecuteOn(TaskExecutors.BLOCKING)
class UsageController {

    static final int MAX_DAYS = 366;
    static final int MAX_CREDENTIALS = 200;

    static final int MAX_SERIES_DAYS = 90;

    private final UsageReader reader;
    private final Clock clock;
    private final QuotaLimits limits;

    UsageController(UsageReader reader, Clock clock, QuotaLimits limits) {
        this.reader = reader;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * {@code GET /internal/usage/series?by=project|workspace|credential&ids=a,b&days=14}: daily calls of each id over
     * the last {@code days} UTC days including today, for the account and admin pages' charts and quota meters.
     */
    @Get("/series")
    UsageSeries series(@Nullable @QueryValue String by, @Nullable @QueryValue String ids, @Nullable @QueryValue String days) {
        if (by == null || !UsageReader.SUBJECTS.containsKey(by)) {
            throw new InvalidRequestException("by must be one of project, workspace, credential");
        }
        Set<String> wanted = idList("ids", ids);
        int n = QueryParams.integer("days", days, 14, 1, MAX_SERIES_DAYS);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = today.minusDays(n - 1L);
        Map<String, Long> dailyLimits = new LinkedHashMap<>();
        for (Plan plan : Plan.values()) {
            dailyLimits.put(plan.wire(), limits.dailyLimit(plan));
        }
        return new UsageSeries(by, from, today, reader.series(by, wanted, from, today),
                "project".equals(by) ? reader.quotaUsed(wanted, today) : Map.of(), dailyLimits);
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
        return new LastUsedReport(reader.lastUsed(idList("credentialIds", credentialIds)));
    }

    private static Set<String> idList(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(name + " is required (comma-separated)");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String id = QueryParams.id(name, part.trim());
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw new InvalidRequestException(name + " is required (comma-separated)");
        }
        if (ids.size() > MAX_CREDENTIALS) {
            throw new InvalidRequestException("at most " + MAX_CREDENTIALS + " " + name + " per query");
        }
        return ids;
    }
}
