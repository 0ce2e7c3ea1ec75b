package com.backlogmcp.audit.auditlog;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.audit.web.QueryParams;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Instant;

/**
 * {@code GET /internal/audit-log?projectId=&workspaceId=&userId=&clientId=&tool=&outcome=&from=&to=&cursor=&limit=} —
 * newest first, keyset-paginated; {@code outcome} is one of {@code ok}, {@code tool_error}, {@code denied}.
 *
 * <p>Who may see what is decided by the caller: auth-service serves the log to platform admins (any project, or none
 * named) and to project owners (their project only) and passes the {@code projectId} it has checked. This service only
 * checks that the caller holds a service credential, which the {@code /internal/**} filter enforces.
 */
@Controller("/internal/audit-log")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditLogController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final java.util.Set<String> OUTCOMES = java.util.Set.of("ok", "tool_error", "denied");

    private final AuditLogReader reader;

    AuditLogController(AuditLogReader reader) {
        this.reader = reader;
    }

    @Get
    AuditLogPage list(@Nullable @QueryValue String projectId, @Nullable @QueryValue String userId,
                      @Nullable @QueryValue String tool, @Nullable @QueryValue String from,
                      @Nullable @QueryValue String to, @Nullable @QueryValue String cursor,
                      @Nullable @QueryValue String limit, @Nullable @QueryValue String clientId,
                      @Nullable @QueryValue String outcome, @Nullable @QueryValue String workspaceId) {
        if (outcome != null && !outcome.isEmpty() && !OUTCOMES.contains(outcome)) {
            throw new InvalidRequestException("outcome must be one of ok, tool_error, denied");
        }
        Instant fromAt = QueryParams.instant("from", from);
        Instant toAt = QueryParams.instant("to", to);
        if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
            throw new InvalidRequestException("from must be before to");
        }
        int size = QueryParams.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        return reader.page(new AuditLogFilter(QueryParams.id("projectId", projectId), QueryParams.id("userId", userId),
                QueryParams.id("tool", tool), fromAt, toAt, cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor),
                size, QueryParams.id("clientId", clientId), outcome == null || outcome.isEmpty() ? null : outcome,
                QueryParams.id("workspaceId", workspaceId)));
    }
}
