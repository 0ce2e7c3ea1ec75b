package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.NimbusRequests;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.http.HttpRequest;
import net.minidev.json.JSONObject;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a client may register about itself, for both registration (RFC 7591) and the update of a registration
 * (RFC 7592 §2.2): the same metadata is accepted or refused the same way, with the RFC's error codes.
 */
final class ClientMetadataRules {

    private static final Set<String> METHODS = Set.of(RegisteredClient.NONE, RegisteredClient.BASIC, RegisteredClient.POST);
    private static final Set<GrantType> GRANTS = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);

    /** Metadata that passed, normalised (defaults filled in, self-declared logo dropped). */
    record Accepted(ClientMetadata metadata, List<String> redirectUris, String authMethod) {
    }

    /** A refusal carrying the RFC 7591 §3.2.2 error to answer with (HTTP 400). */
    static final class Refused extends Exception {
        final ErrorObject error;

        Refused(ErrorObject error) {
            super(error.getDescription(), null, false, false);
            this.error = error.setHTTPStatusCode(400);
        }
    }

    private ClientMetadataRules() {
    }

    /** A registration request (RFC 7591 §3.1): a POST of JSON client metadata. */
    static Accepted check(HttpRequest<?> request, String body, String issuerBase) throws Refused {
        refuseBadRedirectUris(body);
        try {
            return accept(ClientRegistrationRequest.parse(NimbusRequests.toNimbus(request, body == null ? "" : body, issuerBase)).getClientMetadata());
        } catch (ParseException e) {
            throw unparsable(e);
        }
    }

    /** The metadata of an update request (RFC 7592 §2.2), its client_id and client_secret already taken out. */
    static Accepted check(JSONObject metadata) throws Refused {
        refuseBadRedirectUris(metadata.toJSONString());
        try {
            return accept(ClientMetadata.parse(metadata));
        } catch (ParseException e) {
            throw unparsable(e);
        }
    }

    // Redirect URIs are judged before Nimbus parses the rest, so a bad one is reported as invalid_redirect_uri
    // (RFC 7591 §3.2.2) rather than as generic metadata trouble.
    private static void refuseBadRedirectUris(String body) throws Refused {
        Optional<String> redirectProblem = redirectProblem(body);
        if (redirectProblem.isPresent()) {
            throw new Refused(RegistrationError.INVALID_REDIRECT_URI.setDescription(redirectProblem.get()));
        }
    }

    private static Refused unparsable(ParseException e) {
        return invalid(e.getErrorObject() != null && e.getErrorObject().getDescription() != null
                ? e.getErrorObject().getDescription() : "the body must be a JSON object of client metadata");
    }

    private static Accepted accept(ClientMetadata metadata) throws Refused {
        // RFC 7591 §2: redirect_uris is required for the authorization_code grant.
        if (metadata.getRedirectionURIs() == null || metadata.getRedirectionURIs().isEmpty()) {
            throw new Refused(RegistrationError.INVALID_REDIRECT_URI.setDescription("redirect_uris is required"));
        }
        List<String> uris = metadata.getRedirectionURIs().stream().map(URI::toString).sorted().toList();
        for (String uri : uris) {
            var problem = RedirectUriRules.problem(uri);
            if (problem.isPresent()) {
                throw new Refused(RegistrationError.INVALID_REDIRECT_URI.setDescription(problem.get()));
            }
        }
        String method = metadata.getTokenEndpointAuthMethod() == null ? RegisteredClient.BASIC : metadata.getTokenEndpointAuthMethod().getValue();
        if (!METHODS.contains(method)) {
            throw invalid("token_endpoint_auth_method must be one of none, client_secret_basic, client_secret_post");
        }
        if (metadata.getGrantTypes() != null && !GRANTS.containsAll(metadata.getGrantTypes())) {
            throw invalid("grant_types may only be authorization_code and refresh_token");
        }
        if (metadata.getResponseTypes() != null && !metadata.getResponseTypes().stream().allMatch(ResponseType.CODE::equals)) {
            throw invalid("response_types may only be code");
        }
        if (metadata.getName() != null && metadata.getName().length() > 200) {
            throw invalid("client_name is longer than 200 characters");
        }
        metadata.setRedirectionURIs(Set.copyOf(metadata.getRedirectionURIs()));
        metadata.setTokenEndpointAuthMethod(new ClientAuthenticationMethod(method));
        metadata.setGrantTypes(metadata.getGrantTypes() == null ? Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN) : metadata.getGrantTypes());
        metadata.setResponseTypes(Set.of(ResponseType.CODE));
        // Self-declared URIs like client_uri/logo_uri are never shown as trusted, so they are not stored.
        metadata.setLogoURI(null);
        return new Accepted(metadata, uris, method);
    }

    static Refused invalid(String description) {
        return new Refused(RegistrationError.INVALID_CLIENT_METADATA.setDescription(description));
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
}
