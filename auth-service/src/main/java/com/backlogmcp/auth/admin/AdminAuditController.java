package com.backlogmcp.auth.admin;

import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Times;
import com.backlogmcp.auth.usage.AuditLogClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/audit}, platform admins only: the audit log, newest first, filtered by project, user, client, tool,
 * outcome and time (UTC), a page at a time. Arguments appear only as the hash the edge recorded.
 */
@Controller("/admin/audit")
final class AdminAuditController {

    static final int PAGE_SIZE = 50;
    static final List<String> OUTCOMES = List.of("ok", "tool_error", "denied");

    private final AccountSession account;
    private final AuditLogClient auditLog;

    AdminAuditController(AccountSession account, AuditLogClient auditLog) {
        this.account = account;
        this.auditLog = auditLog;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request, @Nullable @QueryValue String project, @Nullable @QueryValue String user,
                         @Nullable @QueryValue String client, @Nullable @QueryValue String tool, @Nullable @QueryValue String outcome,
                         @Nullable @QueryValue String from, @Nullable @QueryValue String to, @Nullable @QueryValue String cursor) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        if (!session.get().user().platformAdmin()) {
            return Pages.error(HttpStatus.FORBIDDEN, "Platform admins only", "Your account is not a platform administrator.");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("project", blankToNull(project));
        form.put("user", blankToNull(user));
        form.put("client", blankToNull(client));
        form.put("tool", blankToNull(tool));
        form.put("outcome", blankToNull(outcome));
        form.put("from", blankToNull(from));
        form.put("to", blankToNull(to));
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Audit log");
        model.put("user", session.get().user());
        model.put("csrf", session.get().csrfToken());
        model.put("form", form);
        model.put("outcomes", OUTCOMES);
        model.put("entries", List.of());
        model.put("error", null);
        model.put("next", null);
        model.put("paged", cursor != null && !cursor.isBlank());
        model.put("firstPage", "/admin/audit" + query(form, null));
        HttpStatus status = HttpStatus.OK;
        try {
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("projectId", form.get("project"));
            filters.put("userId", form.get("user"));
            filters.put("clientId", form.get("client"));
            filters.put("tool", form.get("tool"));
            filters.put("outcome", form.get("outcome"));
            filters.put("from", instant("from", form.get("from")));
            filters.put("to", instant("to", form.get("to")));
            AuditLogClient.Page page = auditLog.page(filters, cursor, PAGE_SIZE);
            model.put("entries", page.entries().stream().map(e -> Map.of(
                    "e", e,
                    "at", Times.display(e.at()),
                    "hash", e.argsHash() == null ? "—" : e.argsHash().substring(0, Math.min(12, e.argsHash().length())) + "…")).toList());
            if (page.nextCursor() != null) {
                model.put("next", "/admin/audit" + query(form, page.nextCursor()));
            }
        } catch (AuditLogClient.Rejected | IllegalArgumentException e) {
            model.put("error", e.getMessage());
            status = HttpStatus.BAD_REQUEST;
        } catch (AuditLogClient.Unavailable e) {
            model.put("error", "The audit log is unavailable right now; try again in a moment.");
            status = HttpStatus.SERVICE_UNAVAILABLE;
        }
        return Pages.page(status, "admin-audit", model);
    }

    /** The form's datetime-local value, read as UTC, as the ISO instant audit-service takes. */
    @Nullable
    private static String instant(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date and time like 2026-11-30T08:00");
        }
    }

    @Nullable
    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String query(Map<String, String> form, @Nullable String cursor) {
        StringBuilder q = new StringBuilder();
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("cursor", cursor);
        all.forEach((k, v) -> {
            if (v != null) {
                q.append(q.isEmpty() ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }
}
