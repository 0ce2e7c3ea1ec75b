package com.backlogmcp.auth.apps;

import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Times;
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

import java.util.Map;
import java.util.Optional;

/**
 * Connected apps: the page {@code /account/apps} (revoke buttons carry {@code data-grant-id}) and the JSON API
 * {@code GET /account/apps/api}, {@code DELETE /account/apps/api/{grantId}} (header {@code X-CSRF-Token}).
 */
@Controller("/account/apps")
final class ConnectedAppsController {

    private final ConnectedApps apps;
    private final AccountSession account;

    ConnectedAppsController(ConnectedApps apps, AccountSession account) {
        this.apps = apps;
        this.account = account;
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
        ConnectedApps.Listing listing = apps.list(session.user().id());
        java.util.HashMap<String, Object> model = new java.util.HashMap<>();
        model.put("title", "Connected apps");
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        model.put("apps", listing.apps().stream().map(a -> Map.of(
                "app", a,
                "created", Times.display(a.createdAt()),
                "lastUsed", a.lastUsed() != null ? Times.display(a.lastUsed()) : listing.usageAvailable() ? "never" : "unknown")).toList());
        model.put("usageAvailable", listing.usageAvailable());
        model.put("notice", notice);
        return Pages.page(status, "apps", model);
    }
}
