package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.NimbusRequests;
import com.backlogmcp.auth.support.Secrets;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.ErrorObject;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.net.URI;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.util.Set;

/**
 * {@code POST /oauth/register}: RFC 7591 dynamic client registration, open (no initial access token) because MCP
 * agents register themselves. Public clients use {@code none} plus PKCE; confidential ones get a secret, shown once.
 */
@Controller("/oauth/register")
final class RegistrationController {

    private static final Set<String> METHODS = Set.of(RegisteredClient.NONE, RegisteredClient.BASIC, RegisteredClient.POST);
    private static final Set<GrantType> GRANTS = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);

    private final ClientStore store;
    private final AuthSettings settings;
    private final Clock clock;

    RegistrationController(ClientStore store, AuthSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    @Post
    @Consumes(MediaType.ALL)
    HttpResponse<String> register(HttpRequest<?> request, @Nullable @Body String body) {
        // Redirect URIs are judged before Nimbus parses the rest, so a bad one is reported as invalid_redirect_uri
        // (RFC 7591 §3.2.2) rather than as generic metadata trouble.
        Optional<String> redirectProblem = redirectProblem(body);
        if (redirectProblem.isPresent()) {
            return error(RegistrationError.INVALID_REDIRECT_URI.setDescription(redirectProblem.get()));
        }
        ClientMetadata metadata;
        try {
            metadata = ClientRegistrationRequest.parse(NimbusRequests.toNimbus(request, body == null ? "" : body, settings.issuerBase())).getClientMetadata();
        } catch (ParseException e) {
            return error(RegistrationError.INVALID_CLIENT_METADATA.setDescription(
                    e.getErrorObject() != null && e.getErrorObject().getDescription() != null ? e.getErrorObject().getDescription() : "the body must be a JSON object of client metadata"));
        }
        // RFC 7591 §2: redirect_uris is required for the authorization_code grant.
        if (metadata.getRedirectionURIs() == null || metadata.getRedirectionURIs().isEmpty()) {
            return error(RegistrationError.INVALID_REDIRECT_URI.setDescription("redirect_uris is required"));
        }
        List<String> uris = metadata.getRedirectionURIs().stream().map(URI::toString).sorted().toList();
        for (String uri : uris) {
            var problem = RedirectUriRules.problem(uri);
            if (problem.isPresent()) {
                return error(RegistrationError.INVALID_REDIRECT_URI.setDescription(problem.get()));
            }
        }
        String method = metadata.getTokenEndpointAuthMethod() == null ? RegisteredClient.BASIC : metadata.getTokenEndpointAuthMethod().getValue();
        if (!METHODS.contains(method)) {
            return error(RegistrationError.INVALID_CLIENT_METADATA.setDescription("token_endpoint_auth_method must be one of none, client_secret_basic, client_secret_post"));
        }
        if (metadata.getGrantTypes() != null && !GRANTS.containsAll(metadata.getGrantTypes())) {
            return error(RegistrationError.INVALID_CLIENT_METADATA.setDescription("grant_types may only be authorization_code and refresh_token"));
        }
        if (metadata.getResponseTypes() != null && !metadata.getResponseTypes().stream().allMatch(ResponseType.CODE::equals)) {
            return error(RegistrationError.INVALID_CLIENT_METADATA.setDescription("response_types may only be code"));
        }
        if (metadata.getName() != null && metadata.getName().length() > 200) {
            return error(RegistrationError.INVALID_CLIENT_METADATA.setDescription("client_name is longer than 200 characters"));
        }
        metadata.setRedirectionURIs(Set.copyOf(metadata.getRedirectionURIs()));
        metadata.setTokenEndpointAuthMethod(new ClientAuthenticationMethod(method));
        metadata.setGrantTypes(metadata.getGrantTypes() == null ? Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN) : metadata.getGrantTypes());
        metadata.setResponseTypes(Set.of(ResponseType.CODE));
        // Self-declared URIs like client_uri/logo_uri are never shown as trusted, so they are not stored.
        metadata.setLogoURI(null);

        ClientID clientId = new ClientID(Secrets.newId("cli_"));
        Secret secret = RegisteredClient.NONE.equals(method) ? null : new Secret(Secrets.newSecret());
        RegisteredClient client = new RegisteredClient(clientId.getValue(), secret == null ? null : Secrets.sha256(secret.getValue()),
                method, uris, metadata.getName(), "dcr");
        store.save(client, metadata.toJSONObject().toJSONString());
        ClientInformation info = new ClientInformation(clientId, Date.from(clock.instant()), metadata, secret);
        return HttpResponse.created(info.toJSONObject().toJSONString())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store");
    }

    private static Optional<String> redirectProblem(String body) {
        try {
            Object uris = JSONObjectUtils.parse(body == null ? "" : body).get("redirect_uris");
            if (uris instanceof List<?> list) {
                for (Object u : list) {
                    if (!(u instanceof String s)) {
                        return Optional.of("redirect_uris must be strings");
                    }
                    Optional<String> problem = RedirectUriRules.problem(s);
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
            }
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static HttpResponse<String> error(ErrorObject error) {
        return NimbusRequests.fromNimbus(new ClientRegistrationErrorResponse(error.setHTTPStatusCode(400)).toHTTPResponse());
    }
}
