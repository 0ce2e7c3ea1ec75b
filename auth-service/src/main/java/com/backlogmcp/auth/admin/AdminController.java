package com.backlogmcp.auth.admin;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.client.ClientStore;
import com.backlogmcp.auth.client.RedirectUriRules;
import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.keys.SigningKeys;
import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.usage.AuditUsageClient;
import com.backlogmcp.auth.usage.UsageChart;
import com.backlogmcp.auth.usage.UsageSeries;
import com.backlogmcp.contracts.vocabulary.Plan;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin}, platform admins only: workspace plan, MCP add-on and suspension (through backlog-service's admin
 * API, acting as the logged-in admin) with each workspace's calls today and over the last 14 days, pre-registered OAuth
 * clients, and signing-key rotation. The audit log has its own page ({@link AdminAuditController}).
 */
@Controller("/admin")
final class AdminController {

    static final int USAGE_DAYS = 14;

    private final AccountSession account;
    private final BacklogClient backlog;
    private final ClientStore clients;
    private final SigningKeys keys;
    private final AuditUsageClient usage;

    AdminController(AccountSession account, BacklogClient backlog, ClientStore clients, SigningKeys keys, AuditUsageClient usage) {
        this.account = account;
        this.backlog = backlog;
        this.clients = clients;
        this.keys = keys;
        this.usage = usage;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        if (!session.get().user().platformAdmin()) {
            return Pages.error(HttpStatus.FORBIDDEN, "Platform admins only", "Your account is not a platform administrator.");
        }
        return render(session.get(), HttpStatus.OK, null, null);
    }

    @Post(uri = "/workspaces/{workspaceId}", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> updateWorkspace(HttpRequest<?> request, @PathVariable String workspaceId, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        Forms form = Forms.parse(body);
        Optional<HttpResponse<?>> denied = deny(request, session, form);
        if (denied.isPresent()) {
            return denied.get();
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        String plan = form.first("plan");
        if (plan != null) {
            if (Plan.fromWire(plan).isEmpty()) {
                return render(session.get(), HttpStatus.BAD_REQUEST, null, "Unknown plan " + plan);
            }
            patch.put("plan", plan);
        }
        if (form.first("mcpEnabled") != null) {
            patch.put("mcpEnabled", Boolean.parseBoolean(form.first("mcpEnabled")));
        }
        if (form.first("suspended") != null) {
            patch.put("suspended", Boolean.parseBoolean(form.first("suspended")));
        }
        if (patch.isEmpty()) {
            return render(session.get(), HttpStatus.BAD_REQUEST, null, "Nothing to change.");
        }
        try {
            backlog.adminUpdate(session.get().user().id(), workspaceId, patch);
            return render(session.get(), HttpStatus.OK, "Workspace " + workspaceId + " updated.", null);
        } catch (BacklogClient.Unavailable e) {
            return render(session.get(), HttpStatus.BAD_GATEWAY, null, "backlog-service refused or did not answer: " + e.getMessage());
        }
    }

    @Post(uri = "/clients", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> preRegister(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        Forms form = Forms.parse(body);
        Optional<HttpResponse<?>> denied = deny(request, session, form);
        if (denied.isPresent()) {
            return denied.get();
        }
        String name = form.first("client_name");
        List<String> uris = Arrays.stream(Optional.ofNullable(form.first("redirect_uris")).orElse("").split("\\s+")).filter(s -> !s.isBlank()).toList();
        if (name == null || name.isBlank() || uris.isEmpty()) {
            return render(session.get(), HttpStatus.BAD_REQUEST, null, "A name and at least one redirect URI are required.");
        }
        for (String u : uris) {
            var problem = RedirectUriRules.problem(u);
            if (problem.isPresent()) {
                return render(session.get(), HttpStatus.BAD_REQUEST, null, problem.get());
            }
        }
        boolean confidential = "confidential".equals(form.first("type"));
        String secret = confidential ? Secrets.newSecret() : null;
        String id = Secrets.newId("cli_");
        clients.save(new RegisteredClient(id, secret == null ? null : Secrets.sha256(secret),
                confidential ? RegisteredClient.BASIC : RegisteredClient.NONE, uris, name.trim(), "admin"), "{}");
        return render(session.get(), HttpStatus.CREATED, "Client " + id + " registered." + (secret != null ? " Its secret (shown once): " + secret : ""), null);
    }

    @Post(uri = "/keys/rotate", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> rotate(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        Optional<HttpResponse<?>> denied = deny(request, session, Forms.parse(body));
        if (denied.isPresent()) {
            return denied.get();
        }
        return render(session.get(), HttpStatus.OK, "New signing key " + keys.rotate() + " is current; the previous one stays published.", null);
    }

    private Optional<HttpResponse<?>> deny(HttpRequest<?> request, Optional<Session> session, Forms form) {
        if (session.isEmpty()) {
            return Optional.of(account.loginRedirect(request));
        }
        if (!session.get().user().platformAdmin()) {
            return Optional.of(Pages.error(HttpStatus.FORBIDDEN, "Platform admins only", "Your account is not a platform administrator."));
        }
        if (!account.csrfValid(session.get(), form.first("csrf_token"))) {
            return Optional.of(Pages.error(HttpStatus.FORBIDDEN, "Request refused", "Missing or wrong CSRF token."));
        }
        return Optional.empty();
    }

    private HttpResponse<?> render(Session session, HttpStatus status, String notice, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Platform admin");
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        model.put("notice", notice);
        model.put("error", error);
        model.put("plans", Arrays.stream(Plan.values()).map(Plan::wire).toList());
        model.put("clients", clients.preRegistered());
        try {
            List<Map<String, Object>> workspaces = backlog.adminWorkspaces(session.user().id());
            Optional<UsageSeries> used = usage.series("workspace", workspaces.stream().map(w -> (String) w.get("id")).toList(), USAGE_DAYS);
            model.put("workspaces", workspaces.stream().map(w -> {
                Map<String, Object> row = new HashMap<>(w);
                String id = (String) w.get("id");
                used.ifPresent(u -> {
                    row.put("today", u.today(id));
                    row.put("total", u.of(id).stream().mapToLong(Long::longValue).sum());
                    row.put("chart", UsageChart.bars(u.of(id), "Calls in " + w.get("name")));
                });
                return row;
            }).toList());
            model.put("usageAvailable", used.isPresent());
            model.put("days", USAGE_DAYS);
            model.put("unavailable", false);
        } catch (BacklogClient.Unavailable e) {
            model.put("workspaces", List.of());
            model.put("usageAvailable", false);
            model.put("days", USAGE_DAYS);
            model.put("unavailable", true);
        }
        return Pages.page(status, "admin", model);
    }
}
