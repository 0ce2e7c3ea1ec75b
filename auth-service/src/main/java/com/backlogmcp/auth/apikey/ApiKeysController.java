package com.backlogmcp.auth.apikey;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Times;
import com.backlogmcp.auth.usage.AuditUsageClient;
import com.backlogmcp.auth.usage.ScopeSummary;
import com.backlogmcp.contracts.vocabulary.Scope;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
import io.micronaut.serde.annotation.Serdeable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys: page {@code /account/api-keys} and JSON API {@code /account/api-keys/api} (GET list, POST create — the
 * secret is in that response only — DELETE {id}). Mutating JSON calls need the {@code X-CSRF-Token} header.
 */
@Controller("/account/api-keys")
final class ApiKeysController {

    /** JSON create request: exactly one of projectId / workspaceId; an unknown field is a 400, not silently ignored. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record CreateRequest(String name, @Nullable String projectId, @Nullable String workspaceId, List<String> scopes) {
    }

    /** JSON create response: the key's listing and its secret, shown this once. */
    @Serdeable
    record CreateResponse(ApiKey key, String secret) {
    }

    private final ApiKeys keys;
    private final AccountSession account;
    private final BacklogClient backlog;
    private final AuditUsageClient usage;

    ApiKeysController(ApiKeys keys, AccountSession account, BacklogClient backlog, AuditUsageClient usage) {
        this.keys = keys;
        this.account = account;
        this.backlog = backlog;
        this.usage = usage;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        return session.isEmpty() ? account.loginRedirect(request) : render(session.get(), HttpStatus.OK, null, null);
    }

    @Post(produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> createFromPage(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        Forms form = Forms.parse(body);
        if (!account.csrfValid(session.get(), form.first("csrf_token"))) {
            return Pages.error(HttpStatus.FORBIDDEN, "Request refused", "Missing or wrong CSRF token.");
        }
        String target = form.first("target");
        String projectId = target != null && target.startsWith("project:") ? target.substring(8) : null;
        String workspaceId = target != null && target.startsWith("workspace:") ? target.substring(10) : null;
        try {
            ApiKeys.Created created = keys.create(session.get().user().id(), form.first("name"), projectId, workspaceId, form.all("scope"));
            return render(session.get(), HttpStatus.CREATED, created.secret(), null);
        } catch (ApiKeys.Invalid e) {
            return render(session.get(), HttpStatus.BAD_REQUEST, null, e.getMessage());
        } catch (BacklogClient.Unavailable e) {
            return render(session.get(), HttpStatus.SERVICE_UNAVAILABLE, null, "The project directory is not answering; try again.");
        }
    }

    @Post(uri = "/{keyId}/revoke", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> revokeFromPage(HttpRequest<?> request, @PathVariable String keyId, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        if (!account.csrfValid(session.get(), Forms.parse(body).first("csrf_token"))) {
            return Pages.error(HttpStatus.FORBIDDEN, "Request refused", "Missing or wrong CSRF token.");
        }
        boolean done = keys.revoke(session.get().user().id(), keyId);
        return render(session.get(), done ? HttpStatus.OK : HttpStatus.NOT_FOUND, null, done ? null : "That key was not found.");
    }

    @Get(uri = "/api", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> list(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        return account.rejectApi(request, session, false).orElseGet(() -> HttpResponse.ok(Map.of("keys", keys.list(session.get().user().id()))));
    }

    @Post(uri = "/api", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> create(HttpRequest<?> request, @Body CreateRequest body) {
        Optional<Session> session = account.current(request);
        Optional<HttpResponse<?>> rejected = account.rejectApi(request, session, true);
        if (rejected.isPresent()) {
            return rejected.get();
        }
        try {
            ApiKeys.Created c = keys.create(session.get().user().id(), body.name(), body.projectId(), body.workspaceId(),
                    body.scopes() == null ? List.of() : body.scopes());
            return HttpResponse.created(new CreateResponse(c.key(), c.secret())).header("Cache-Control", "no-store");
        } catch (ApiKeys.Invalid e) {
            return HttpResponse.badRequest(Map.of("error", "invalid_request", "message", e.getMessage()));
        } catch (BacklogClient.Unavailable e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "upstream_unavailable", "message", "project directory unavailable"));
        }
    }

    @Delete(uri = "/api/{keyId}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> delete(HttpRequest<?> request, @PathVariable String keyId) {
        Optional<Session> session = account.current(request);
        return account.rejectApi(request, session, true).orElseGet(() -> keys.revoke(session.get().user().id(), keyId)
                ? HttpResponse.ok(Map.of("revoked", keyId))
                : HttpResponse.notFound(Map.of("error", "not_found", "message", "no such active key of yours")));
    }

    private HttpResponse<?> render(Session session, HttpStatus status, String secret, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "API keys");
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        List<ApiKey> mine = keys.list(session.user().id());
        Optional<Map<String, java.time.Instant>> used = usage.lastUsed(mine.stream().map(ApiKey::id).toList());
        model.put("keys", mine.stream().map(k -> Map.of("key", k, "created", Times.display(k.createdAt()),
                "access", ScopeSummary.of(List.of(k.scope().split(" "))),
                "lastUsed", used.map(m -> m.get(k.id())).map(Times::display).orElse(used.isPresent() ? "never" : "unknown"))).toList());
        model.put("usageAvailable", used.isPresent());
        model.put("secret", secret);
        model.put("error", error);
        model.put("scopes", List.of(Scope.values()));
        List<BacklogClient.ProjectRef> projects;
        try {
            projects = backlog.projectsOf(session.user().id());
        } catch (BacklogClient.Unavailable e) {
            projects = List.of();
        }
        model.put("projects", projects);
        model.put("workspaces", projects.stream().map(BacklogClient.ProjectRef::workspaceId).filter(w -> w != null).distinct().toList());
        return Pages.page(status, "api-keys", model);
    }
}
