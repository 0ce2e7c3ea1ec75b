package com.backlogmcp.auth.authorize;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.client.ClientDirectory;
import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.Scope;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates an authorization request in the order RFC 6749 §4.1.2.1 demands: first the client and its redirect URI
 * (failures there are shown on a page and never redirected, since the redirect target is not trustworthy), then
 * everything else (failures redirected to the client with {@code error}, {@code state} and {@code iss}).
 * Used for the GET that shows consent and again for the POST that records the decision.
 */
@Singleton
public class AuthorizationRequestValidator {

    /** RFC 8707 §2: the resource is invalid, unknown or malformed. */
    static final ErrorObject INVALID_TARGET = new ErrorObject("invalid_target", "Invalid target resource", 302);
    /** The OAuth parameters of the request, carried through login and the consent form. */
    static final List<String> PARAMETERS = List.of("response_type", "client_id", "redirect_uri", "scope", "state",
            "code_challenge", "code_challenge_method", "resource");

    /** Result of validation. */
    public sealed interface Result permits ErrorPage, RedirectError, Valid {
    }

    /** Shown to the user; never redirected. */
    public record ErrorPage(int status, String title, String message) implements Result {
    }

    /** Sent back to the client's (verified) redirect URI. */
    public record RedirectError(URI location) implements Result {
    }

    public record Valid(RegisteredClient client, URI redirectUri, @Nullable State state, String codeChallenge,
                        String resource, AuthzContext project, List<Scope> requestedScopes,
                        Map<String, String> parameters) implements Result {
    }

    private final ClientDirectory clients;
    private final BacklogClient backlog;
    private final AuthSettings settings;
    private final Pattern resourcePattern;

    AuthorizationRequestValidator(ClientDirectory clients, BacklogClient backlog, AuthSettings settings) {
        this.clients = clients;
        this.backlog = backlog;
        this.settings = settings;
        this.resourcePattern = Pattern.compile(Pattern.quote(settings.mcpBase()) + "/p/([A-Za-z0-9_-]{1,64})/mcp");
    }

    /**
     * What the checks have learnt so far about one request. The first check fills the client and its redirect
     * target; each later check reads what earlier ones filled and may add to it.
     */
    private static final class Draft {
        final Map<String, List<String>> raw;
        RegisteredClient client;
        String redirect;
        URI redirectUri;
        State state;
        AuthorizationRequest request;
        String resource;
        AuthzContext project;
        final List<Scope> scopes = new ArrayList<>();

        Draft(Map<String, List<String>> raw) {
            this.raw = raw;
        }
    }

    /** One rule answered at the client's redirect URI: empty when the request passes it. */
    @FunctionalInterface
    private interface Check {
        Optional<RedirectError> apply(Draft d);
    }

    /** The checks after the client and redirect URI are known, in the order their errors are reported. */
    private final List<Check> checks = List.of(this::noRepeatedParameters, this::parsesAsCodeRequest, this::pkceWithS256,
            this::resourceIsAnExistingProject, this::scopesAreKnown);

    public Result validate(Map<String, List<String>> raw) {
        Draft d = new Draft(raw);
        // 1. client_id and redirect_uri: a problem here is never redirected (RFC 6749 §4.1.2.1 first paragraph).
        Optional<ErrorPage> page = clientAndRedirect(d);
        if (page.isPresent()) {
            return page.get();
        }
        // 2. Everything else is answered at the redirect URI (RFC 6749 §4.1.2.1 second paragraph).
        for (Check check : checks) {
            Optional<RedirectError> error = check.apply(d);
            if (error.isPresent()) {
                return error.get();
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : PARAMETERS) {
            String v = first(raw, name);
            if (v != null) {
                params.put(name, v);
            }
        }
        params.putIfAbsent("redirect_uri", d.redirect);
        return new Valid(d.client, d.redirectUri, d.state, d.request.getCodeChallenge().getValue(), d.resource, d.project, d.scopes, params);
    }

    /** A known client and a redirect URI exactly registered for it (or its only one when none is given). */
    private Optional<ErrorPage> clientAndRedirect(Draft d) {
        for (String name : List.of("client_id", "redirect_uri")) {
            if (d.raw.getOrDefault(name, List.of()).size() > 1) {
                return Optional.of(new ErrorPage(400, "Invalid request", "The parameter " + name + " is repeated."));
            }
        }
        ClientDirectory.Lookup lookup = clients.lookup(first(d.raw, "client_id"));
        if (lookup.client().isEmpty()) {
            return Optional.of(new ErrorPage(400, "Unknown application", "This authorization request cannot be processed: " + lookup.problem()));
        }
        d.client = lookup.client().get();
        d.redirect = first(d.raw, "redirect_uri");
        if (d.redirect == null && d.client.redirectUris().size() == 1) {
            d.redirect = d.client.redirectUris().get(0);
        }
        if (!d.client.allowsRedirect(d.redirect)) {
            return Optional.of(new ErrorPage(400, "Invalid redirect URI",
                    "The redirect URI does not exactly match one registered for this application, so you are not sent back to it."));
        }
        d.redirectUri = URI.create(d.redirect);
        String stateValue = first(d.raw, "state");
        d.state = stateValue == null ? null : new State(stateValue);
        return Optional.empty();
    }

    /** RFC 6749 §3.1: no OAuth parameter appears twice. */
    private Optional<RedirectError> noRepeatedParameters(Draft d) {
        for (Map.Entry<String, List<String>> e : d.raw.entrySet()) {
            if (PARAMETERS.contains(e.getKey()) && e.getValue().size() > 1) {
                return error(d, OAuth2Error.INVALID_REQUEST, "parameter " + e.getKey() + " is repeated");
            }
        }
        return Optional.empty();
    }

    /** A well-formed request for {@code response_type=code}, the only flow offered. */
    private Optional<RedirectError> parsesAsCodeRequest(Draft d) {
        try {
            d.request = AuthorizationRequest.parse(d.raw);
        } catch (ParseException e) {
            return error(d, e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST, e.getMessage());
        }
        if (!new ResponseType(ResponseType.Value.CODE).equals(d.request.getResponseType())) {
            return error(d, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "only response_type=code is supported");
        }
        return Optional.empty();
    }

    /** OAuth 2.1 §4.1.1 / RFC 7636 §4.4.1: PKCE is required, and only S256 is accepted (plain is refused). */
    private Optional<RedirectError> pkceWithS256(Draft d) {
        if (d.request.getCodeChallenge() == null) {
            return error(d, OAuth2Error.INVALID_REQUEST, "code_challenge is required (PKCE with S256)");
        }
        if (!CodeChallengeMethod.S256.equals(d.request.getCodeChallengeMethod())) {
            return error(d, OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256");
        }
        return Optional.empty();
    }

    /** RFC 8707: exactly one resource, the MCP endpoint of an existing project. */
    private Optional<RedirectError> resourceIsAnExistingProject(Draft d) {
        List<URI> resources = d.request.getResources();
        if (resources == null || resources.isEmpty()) {
            return error(d, OAuth2Error.INVALID_REQUEST, "resource is required: the MCP endpoint URL");
        }
        if (resources.size() != 1) {
            return error(d, INVALID_TARGET, "exactly one resource may be requested");
        }
        d.resource = resources.get(0).toString();
        Matcher m = resourcePattern.matcher(d.resource);
        if (!m.matches()) {
            return error(d, INVALID_TARGET, "resource is not an MCP endpoint of this service");
        }
        Optional<AuthzContext> project;
        try {
            project = backlog.authz(m.group(1), null);
        } catch (BacklogClient.Unavailable e) {
            return error(d, OAuth2Error.TEMPORARILY_UNAVAILABLE, "project directory unavailable, try again");
        }
        if (project.isEmpty()) {
            return error(d, INVALID_TARGET, "resource names a project that does not exist");
        }
        d.project = project.get();
        return Optional.empty();
    }

    /** Every requested scope is one of ours; none requested offers them all (the user unticks what to withhold). */
    private Optional<RedirectError> scopesAreKnown(Draft d) {
        if (d.request.getScope() == null || d.request.getScope().isEmpty()) {
            d.scopes.addAll(List.of(Scope.values()));
            return Optional.empty();
        }
        for (String v : d.request.getScope().toStringList()) {
            Optional<Scope> s = Scope.fromValue(v);
            if (s.isEmpty()) {
                return error(d, OAuth2Error.INVALID_SCOPE, "unknown scope " + v);
            }
            if (!d.scopes.contains(s.get())) {
                d.scopes.add(s.get());
            }
        }
        return Optional.empty();
    }

    private Optional<RedirectError> error(Draft d, ErrorObject error, String description) {
        return Optional.of(redirectError(d.redirectUri, error, description, d.state));
    }

    RedirectError redirectError(URI redirectUri, ErrorObject error, String description, State state) {
        // RFC 9207: iss on every authorization response, errors included.
        URI location = new AuthorizationErrorResponse(redirectUri, error.setDescription(description), state,
                new Issuer(settings.issuerBase()), ResponseMode.QUERY).toURI();
        return new RedirectError(location);
    }

    private static String first(Map<String, List<String>> raw, String name) {
        List<String> v = raw.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }
}
