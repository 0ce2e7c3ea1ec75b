package com.backlogmcp.auth.authorize;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.grant.AuthorizationCodeStore;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.session.Sessions;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.Issuer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.uri.UriBuilder;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /oauth/authorize}: GET validates the request, sends an anonymous user to log in, and shows the consent page;
 * POST records the decision (CSRF-checked) and redirects with {@code code}, {@code state} and {@code iss} (RFC 9207).
 */
@Controller("/oauth/authorize")
final class AuthorizeController {

    private final AuthorizationRequestValidator validator;
    private final Sessions sessions;
    private final ConnectTargets targets;
    private final AuthorizationCodeStore codes;
    private final AuthSettings settings;

    AuthorizeController(AuthorizationRequestValidator validator, Sessions sessions, ConnectTargets targets,
                        AuthorizationCodeStore codes, AuthSettings settings) {
        this.validator = validator;
        this.sessions = sessions;
        this.targets = targets;
        this.codes = codes;
        this.settings = settings;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> authorize(HttpRequest<?> request) {
        var result = validator.validate(request.getParameters().asMap());
        return switch (result) {
            case AuthorizationRequestValidator.ErrorPage e -> Pages.error(HttpStatus.valueOf(e.status()), e.title(), e.message());
            case AuthorizationRequestValidator.RedirectError r -> HttpResponse.status(HttpStatus.FOUND).header("Location", r.location().toString());
            case AuthorizationRequestValidator.Valid v -> {
                Optional<Session> session = sessions.current(request);
                if (session.isEmpty()) {
                    String returnTo = request.getUri().getRawPath() + "?" + request.getUri().getRawQuery();
                    yield HttpResponse.status(HttpStatus.FOUND).header("Location", UriBuilder.of("/login").queryParam("return_to", returnTo).build().toString());
                }
                yield consentOrRefusal(v, session.get());
            }
        };
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> decide(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<Session> session = sessions.current(request);
        if (session.isEmpty()) {
            return Pages.error(HttpStatus.UNAUTHORIZED, "Your session has ended", "Log in and start connecting the agent again.");
        }
        Forms form = Forms.parse(body);
        // CSRF before anything else: a forged POST must not even learn whether its parameters were valid.
        if (!sessions.csrfValid(session.get(), form.first("csrf_token"))) {
            return Pages.error(HttpStatus.FORBIDDEN, "Request refused", "The form was not submitted from this site (missing or wrong CSRF token). Start again from your agent.");
        }
        Map<String, List<String>> raw = new HashMap<>();
        for (String name : AuthorizationRequestValidator.PARAMETERS) {
            String field = "scope".equals(name) ? "requested_scope" : name;
            if (form.first(field) != null) {
                raw.put(name, List.of(form.first(field)));
            }
        }
        var result = validator.validate(raw);
        return switch (result) {
            case AuthorizationRequestValidator.ErrorPage e -> Pages.error(HttpStatus.valueOf(e.status()), e.title(), e.message());
            case AuthorizationRequestValidator.RedirectError r -> HttpResponse.status(HttpStatus.FOUND).header("Location", r.location().toString());
            case AuthorizationRequestValidator.Valid v -> decide(v, session.get(), form);
        };
    }

    private HttpResponse<?> decide(AuthorizationRequestValidator.Valid v, Session session, Forms form) {
        if (v.resource() == null) {
            return Pages.error(HttpStatus.BAD_REQUEST, "Choose what to connect", "Pick a project or workspace for the agent, then approve.");
        }
        AuthzContext ctx;
        try {
            ctx = targets.resolve(v.resource(), session.user().id()).map(ConnectTargets.Target::context).orElse(null);
        } catch (BacklogClient.Unavailable e) {
            return Pages.error(HttpStatus.SERVICE_UNAVAILABLE, "Try again in a moment", "The project directory is not answering.");
        }
        if (ctx == null) {
            return redirect(validator.redirectError(v.redirectUri(), AuthorizationRequestValidator.INVALID_TARGET, "project no longer exists", v.state()).location());
        }
        var refusal = ConsentOptions.refusal(ctx);
        if (refusal.isPresent()) {
            return Pages.error(HttpStatus.FORBIDDEN, refusal.get().title(), refusal.get().message());
        }
        if (!"approve".equals(form.first("decision"))) {
            return redirect(validator.redirectError(v.redirectUri(), OAuth2Error.ACCESS_DENIED, "the user denied access", v.state()).location());
        }
        Set<String> selected = Set.copyOf(form.all("scope"));
        // Only what was requested, shown enabled and ticked is granted; a tampered form cannot add a disabled scope.
        String scope = ConsentOptions.options(v.requestedScopes(), ctx).stream()
                .filter(ConsentOptions.ScopeOption::enabled)
                .map(ConsentOptions.ScopeOption::value)
                .filter(selected::contains)
                .collect(Collectors.joining(" "));
        if (scope.isEmpty()) {
            return redirect(validator.redirectError(v.redirectUri(), OAuth2Error.ACCESS_DENIED, "no scope was approved", v.state()).location());
        }
        String code = codes.issue(v.client().clientId(), session.user().id(), v.redirectUri().toString(), v.codeChallenge(),
                v.resource(), ctx.projectId(), ctx.workspaceId(), scope);
        URI location = new AuthorizationSuccessResponse(v.redirectUri(), new AuthorizationCode(code), null, v.state(),
                new Issuer(settings.issuerBase()), ResponseMode.QUERY).toURI();
        return redirect(location);
    }

    private HttpResponse<?> consentOrRefusal(AuthorizationRequestValidator.Valid v, Session session) {
        if (v.resource() == null) {
            return chooser(v, session);
        }
        ConnectTargets.Target target;
        try {
            target = targets.resolve(v.resource(), session.user().id()).orElse(null);
        } catch (BacklogClient.Unavailable e) {
            return Pages.error(HttpStatus.SERVICE_UNAVAILABLE, "Try again in a moment", "The project directory is not answering.");
        }
        AuthzContext ctx = target == null ? null : target.context();
        if (ctx == null) {
            return redirect(validator.redirectError(v.redirectUri(), AuthorizationRequestValidator.INVALID_TARGET, "project no longer exists", v.state()).location());
        }
        var refusal = ConsentOptions.refusal(ctx);
        if (refusal.isPresent()) {
            return Pages.error(HttpStatus.FORBIDDEN, refusal.get().title(), refusal.get().message());
        }
        List<ConsentOptions.ScopeOption> options = ConsentOptions.options(v.requestedScopes(), ctx);
        Map<String, String> hidden = new LinkedHashMap<>(v.parameters());
        String requested = hidden.remove("scope");
        if (requested != null) {
            hidden.put("requested_scope", requested);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Connect an agent to " + ctx.projectName());
        model.put("workspaceEndpoint", target.workspace());
        model.put("workspaceProjects", target.projects());
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        model.put("projectName", ctx.projectName());
        model.put("workspaceName", ctx.workspaceName());
        model.put("plan", ctx.plan());
        model.put("role", ctx.role());
        model.put("clientId", v.client().clientId());
        model.put("clientName", v.client().clientName());
        model.put("redirectHost", redirectHost(v.redirectUri()));
        model.put("resource", v.resource());
        model.put("scopes", options);
        model.put("anyEnabled", options.stream().anyMatch(ConsentOptions.ScopeOption::enabled));
        model.put("hidden", hidden);
        return Pages.page(HttpStatus.OK, "consent", model);
    }

    /**
     * The client named no endpoint (older clients send no {@code resource}): the user picks one of the projects or
     * workspaces they belong to, and the request goes on with that resource, so the grant is bound to it. Picking
     * is a plain GET: consent and its checks still follow.
     */
    private HttpResponse<?> chooser(AuthorizationRequestValidator.Valid v, Session session) {
        List<ConnectTargets.Choice> choices;
        try {
            choices = targets.choicesFor(session.user().id());
        } catch (BacklogClient.Unavailable e) {
            return Pages.error(HttpStatus.SERVICE_UNAVAILABLE, "Try again in a moment", "The project directory is not answering.");
        }
        if (choices.isEmpty()) {
            return Pages.error(HttpStatus.FORBIDDEN, "Nothing to connect",
                    "Your account is not a member of any project. Ask a project admin to invite you, then connect the agent again.");
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Choose what to connect");
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        model.put("clientId", v.client().clientId());
        model.put("clientName", v.client().clientName());
        model.put("redirectHost", redirectHost(v.redirectUri()));
        model.put("choices", choices);
        model.put("hidden", v.parameters());
        return Pages.page(HttpStatus.OK, "choose-endpoint", model);
    }

    static String redirectHost(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return uri.getScheme() + ":";
        }
        return uri.getScheme() + "://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    private static HttpResponse<?> redirect(URI location) {
        return HttpResponse.status(HttpStatus.FOUND).header("Location", location.toString());
    }
}
