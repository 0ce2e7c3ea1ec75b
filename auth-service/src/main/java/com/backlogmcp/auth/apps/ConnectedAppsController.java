package com.backlogmcp.auth.apps;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Times;
import com.backlogmcp.auth.usage.AuditUsageClient;
import com.backlogmcp.auth.usage.ScopeSummary;
import com.backlogmcp.auth.usage.UsageChart;
import com.backlogmcp.auth.usage.UsageSeries;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Connected apps: the page {@code /account/apps} — each project's calls today against its plan's quota with a 14-day
 * chart, then each app with its access summarised, its calls, last use and a revoke button (carrying
 * {@code data-grant-id}) — and the JSON API
 * {@code GET /account/apps/api}, {@code DELETE /account/apps/api/{grantId}} (header {@code X-CSRF-Token}).
 */
@Controller("/account/apps")
final class ConnectedAppsController {

    /** Days shown in the usage charts. */
    static final int DAYS = 14;

    private final ConnectedApps apps;
    private final AccountSession account;
    private final BacklogClient backlog;
    private final AuditUsageClient usage;

    ConnectedAppsController(ConnectedApps apps, AccountSession account, BacklogClient backlog, AuditUsageClient usage) {
        this.apps = apps;
        this.account = account;
        this.backlog = backlog;
        this.usage = usage;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        return render(session.get(), HttpStatus.OK, null);
    }

    @Post(uri = "/{grantId}/revoke", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> revokeFromPage(HttpRequest<?> request, @PathVariable String grantId, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        if (!account.csrfValid(session.get(), Forms.parse(body).first("csrf_token"))) {
            return Pages.error(HttpStatus.FORBIDDEN, "Request refused", "Missing or wrong CSRF token.");
        }
        boolean done = apps.revoke(session.get().user().id(), grantId);
        return render(session.get(), done ? HttpStatus.OK : HttpStatus.NOT_FOUND, done ? "Access revoked." : "That app was not found.");
    }

    @Get(uri = "/api", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> list(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        return account.rejectApi(request, session, false).orElseGet(() -> HttpResponse.ok(apps.list(session.get().user().id())));
    }

    @Delete(uri = "/api/{grantId}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String grantId) {
        Optional<Session> session = account.current(request);
        return account.rejectApi(request, session, true).orElseGet(() -> apps.revoke(session.get().user().id(), grantId)
                ? HttpResponse.ok(Map.of("revoked", grantId))
                : HttpResponse.notFound(Map.of("error", "not_found", "message", "no such active grant of yours")));
    }

    private HttpResponse<?> render(Session session, HttpStatus status, String notice) {
        String userId = session.user().id();
        ConnectedApps.Listing listing = apps.list(userId);
        List<BacklogClient.ProjectRef> projects;
        try {
            projects = backlog.projectsOf(userId);
        } catch (BacklogClient.Unavailable e) {
            projects = List.of();
        }
        Optional<UsageSeries> byProject = usage.series("project", projects.stream().map(BacklogClient.ProjectRef::projectId).toList(), DAYS);
        Optional<UsageSeries> byGrant = usage.series("credential", listing.apps().stream().map(ConnectedApps.App::grantId).toList(), DAYS);
        Map<String, Long> limits = new HashMap<>();
        List<Map<String, Object>> projectRows = new ArrayList<>();
        for (BacklogClient.ProjectRef p : projects) {
            Long limit = byProject.map(u -> u.limit(p.plan())).orElse(null);
            limits.put(p.projectId(), limit);
            Map<String, Object> row = new HashMap<>();
            row.put("id", p.projectId());
            row.put("name", p.projectName() == null ? p.projectId() : p.projectName());
            row.put("plan", p.plan() == null ? "" : p.plan());
            byProject.ifPresent(u -> {
                row.put("meter", UsageChart.meter(u.quotaUsed(p.projectId()), limit));
                row.put("chart", UsageChart.bars(u.of(p.projectId()), "Calls to " + row.get("name")));
            });
            projectRows.add(row);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Connected apps");
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        model.put("projects", projectRows);
        model.put("apps", listing.apps().stream().map(a -> {
            Map<String, Object> row = new HashMap<>();
            row.put("app", a);
            row.put("name", a.clientName() != null ? a.clientName() : a.clientId());
            row.put("created", Times.display(a.createdAt()));
            row.put("lastUsed", a.lastUsed() != null ? Times.display(a.lastUsed()) : listing.usageAvailable() ? "never" : "unknown");
            row.put("access", ScopeSummary.of(a.scopes()));
            byGrant.ifPresent(u -> {
                row.put("meter", UsageChart.meter(u.today(a.grantId()), limits.get(a.projectId())));
                row.put("chart", UsageChart.bars(u.of(a.grantId()), "Calls by " + row.get("name")));
            });
            return row;
        }).toList());
        model.put("usageAvailable", listing.usageAvailable());
        model.put("seriesAvailable", byProject.isPresent() && byGrant.isPresent());
        model.put("days", DAYS);
        model.put("notice", notice);
        return Pages.page(status, "apps", model);
    }
}
