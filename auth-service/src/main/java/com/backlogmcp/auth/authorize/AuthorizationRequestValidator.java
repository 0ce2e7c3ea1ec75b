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

    /** {@code resource} and {@code project} are null when the client named no endpoint: consent offers a choice. */
    public record Valid(RegisteredClient client, URI redirectUri, @Nullable State state, String codeChallenge,
                        @Nullable String resource, @Nullable AuthzContext project, List<Scope> requestedScopes,
                        Map<String, String> parameters) implements Result {
    }

    private final ClientDirectory clients;
    private final ConnectTargets targets;
    private final AuthSettings settings;

    AuthorizationRequestValidator(ClientDirectory clients, ConnectTargets targets, AuthSettings settings) {
        this.clients = clients;
        this.targets = targets;
        this.settings = settings;
    }

    public Result validate(Map<String, List<String>> raw) {
        // 1. client_id and redirect_uri: a problem here is never redirected (RFC 6749 §4.1.2.1 first paragraph).
        for (String name : List.of("client_id", "redirect_uri")) {
            if (raw.getOrDefault(name, List.of()).size() > 1) {
                return new ErrorPage(400, "Invalid request", "The parameter " + name + " is repeated.");
            }
        }
        String clientId = first(raw, "client_id");
        ClientDirectory.Lookup lookup = clients.lookup(clientId);
        if (lookup.client().isEmpty()) {
            return new ErrorPage(400, "Unknown application", "This authorization request cannot be processed: " + lookup.problem());
        }
        RegisteredClient client = lookup.client().get();
        String redirect = first(raw, "redirect_uri");
        if (redirect == null && client.redirectUris().size() == 1) {
            redirect = client.redirectUris().get(0);
        }
        if (!client.allowsRedirect(redirect)) {
            return new ErrorPage(400, "Invalid redirect URI",
                    "The redirect URI does not exactly match one registered for this application, so you are not sent back to it.");
        }
        URI redirectUri = URI.create(redirect);
        String stateValue = first(raw, "state");
        State state = stateValue == null ? null : new State(stateValue);

        // 2. Everything else is answered at the redirect URI (RFC 6749 §4.1.2.1 second paragraph).
        for (Map.Entry<String, List<String>> e : raw.entrySet()) {
            if (PARAMETERS.contains(e.getKey()) && e.getValue().size() > 1) {
                return redirectError(redirectUri, OAuth2Error.INVALID_REQUEST, "parameter " + e.getKey() + " is repeated", state);
            }
        }
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(raw);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            return redirectError(redirectUri, error, e.getMessage(), state);
        }
        if (!new ResponseType(ResponseType.Value.CODE).equals(request.getResponseType())) {
            return redirectError(redirectUri, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "only response_type=code is supported", state);
        }
        // OAuth 2.1 §4.1.1 / RFC 7636 §4.4.1: PKCE is required, and only S256 is accepted (plain is refused).
        if (request.getCodeChallenge() == null) {
            return redirectError(redirectUri, OAuth2Error.INVALID_REQUEST, "code_challenge is required (PKCE with S256)", state);
        }
        if (!CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod())) {
            return redirectError(redirectUri, OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256", state);
        }
        // RFC 8707: at most one resource, the MCP endpoint of an existing project or workspace. A client that sends
        // none (older ones) gets a choice on the consent page, and the grant is bound to the endpoint chosen there.
        List<URI> resources = request.getResources();
        String resource = null;
        AuthzContext target = null;
        if (resources != null && !resources.isEmpty()) {
            if (resources.size() != 1) {
                return redirectError(redirectUri, INVALID_TARGET, "exactly one resource may be requested", state);
            }
            resource = resources.get(0).toString();
            if (!targets.isEndpoint(resource)) {
                return redirectError(redirectUri, INVALID_TARGET, "resource is not an MCP endpoint of this service", state);
            }
            Optional<ConnectTargets.Target> found;
            try {
                found = targets.resolve(resource, null);
            } catch (BacklogClient.Unavailable e) {
                return redirectError(redirectUri, OAuth2Error.TEMPORARILY_UNAVAILABLE, "project directory unavailable, try again", state);
            }
            if (found.isEmpty()) {
                return redirectError(redirectUri, INVALID_TARGET, "resource names a project or workspace that does not exist", state);
            }
            target = found.get().context();
        }
        List<Scope> scopes = new ArrayList<>();
        if (request.getScope() == null || request.getScope().isEmpty()) {
            // No scope asked for: offer every scope; the user unticks what the agent should not get.
            scopes.addAll(List.of(Scope.values()));
        } else {
            for (String v : request.getScope().toStringList()) {
                Optional<Scope> s = Scope.fromValue(v);
                if (s.isEmpty()) {
                    return redirectError(redirectUri, OAuth2Error.INVALID_SCOPE, "unknown scope " + v, state);
                }
                if (!scopes.contains(s.get())) {
                    scopes.add(s.get());
                }
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : PARAMETERS) {
            String v = first(raw, name);
            if (v != null) {
                params.put(name, v);
            }
        }
        params.putIfAbsent("redirect_uri", redirect);
        return new Valid(client, redirectUri, state, request.getCodeChallenge().getValue(), resource, target, scopes, params);
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
