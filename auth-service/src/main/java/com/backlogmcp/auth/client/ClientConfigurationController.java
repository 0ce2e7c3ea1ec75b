package com.backlogmcp.auth.client;

import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.Secrets;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import net.minidev.json.JSONObject;

import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * {@code /oauth/register/{clientId}}: the RFC 7592 client configuration endpoint. A dynamically registered client reads
 * ({@code GET}), replaces ({@code PUT}) or deletes ({@code DELETE}) its registration with the registration access token
 * it was given at registration. The token is kept only as a SHA-256 and compared in constant time; an unknown client, a
 * client without a token (pre-registered, metadata document) and a wrong token all answer the same 401, so the endpoint
 * tells nobody which client ids exist. Deleting a client revokes its grants, which the edges learn through the usual
 * revocation events.
 */
@Controller("/oauth/register/{clientId}")
final class ClientConfigurationController {

    /** Compared against when there is nothing to compare, so a missing client costs the same as a wrong token. */
    private static final String NO_TOKEN = Secrets.sha256("no registration access token");
    /** RFC 7592 §2.2: fields the server alone sets, which an update must not carry. */
    private static final List<String> SERVER_FIELDS = List.of("registration_access_token", "registration_client_uri",
            "client_secret_expires_at", "client_id_issued_at");

    private final ClientStore store;
    private final GrantStore grants;
    private final GrantRevocations revocations;
    private final AuthSettings settings;

    ClientConfigurationController(ClientStore store, GrantStore grants, GrantRevocations revocations, AuthSettings settings) {
        this.store = store;
        this.grants = grants;
        this.revocations = revocations;
        this.settings = settings;
    }

    @Get
    HttpResponse<String> read(HttpRequest<?> request, @PathVariable String clientId) {
        Optional<String> token = bearer(request);
        if (token.isEmpty()) {
            return unauthorized(null);
        }
        Optional<ClientStore.Registration> registration = authorized(clientId, token.get());
        if (registration.isEmpty()) {
            return unauthorized(token.get());
        }
        return information(registration.get(), registration.get().metadataJson(), token.get(), HttpStatus.OK);
    }

    @Put
    @Consumes(MediaType.ALL)
    HttpResponse<String> update(HttpRequest<?> request, @PathVariable String clientId, @Nullable @Body String body) {
        Optional<String> token = bearer(request);
        if (token.isEmpty()) {
            return unauthorized(null);
        }
        Optional<ClientStore.Registration> registration = authorized(clientId, token.get());
        if (registration.isEmpty()) {
            return unauthorized(token.get());
        }
        RegisteredClient current = registration.get().client();
        JSONObject json;
        try {
            json = JSONObjectUtils.parse(body == null ? "" : body);
        } catch (ParseException e) {
            return RegistrationController.error(ClientMetadataRules.invalid("the body must be a JSON object of client metadata").error);
        }
        if (!clientId.equals(json.get("client_id"))) {
            return RegistrationController.error(ClientMetadataRules.invalid("client_id must be present and be this client's id").error);
        }
        for (String field : SERVER_FIELDS) {
            if (json.containsKey(field)) {
                return RegistrationController.error(ClientMetadataRules.invalid(field + " is set by the server and must not be sent").error);
            }
        }
        Object secret = json.get("client_secret");
        if (secret != null && !(secret instanceof String s && Secrets.constantTimeEquals(Secrets.sha256(s), current.secretHash()))) {
            return RegistrationController.error(ClientMetadataRules.invalid("client_secret does not match the issued secret").error);
        }
        json.remove("client_id");
        json.remove("client_secret");
        ClientMetadataRules.Accepted accepted;
        try {
            accepted = ClientMetadataRules.check(json);
        } catch (ClientMetadataRules.Refused refused) {
            return RegistrationController.error(refused.error);
        }
        if (!accepted.authMethod().equals(current.authMethod())) {
            // A public client cannot become confidential here (its secret would have to be issued by an update) nor
            // the other way round (tokens were issued on the strength of the secret); register a new client instead.
            return RegistrationController.error(ClientMetadataRules.invalid("token_endpoint_auth_method cannot change; register a new client").error);
        }
        String metadataJson = accepted.metadata().toJSONObject().toJSONString();
        if (!store.update(clientId, accepted.redirectUris(), accepted.metadata().getName(), metadataJson)) {
            return unauthorized(token.get());
        }
        return information(registration.get(), metadataJson, token.get(), HttpStatus.OK);
    }

    @Delete
    HttpResponse<String> delete(HttpRequest<?> request, @PathVariable String clientId) {
        Optional<String> token = bearer(request);
        if (token.isEmpty()) {
            return unauthorized(null);
        }
        if (authorized(clientId, token.get()).isEmpty()) {
            return unauthorized(token.get());
        }
        if (store.delete(clientId)) {
            grants.activeIdsForClient(clientId).forEach(id -> revocations.revoke(id, GrantRevocations.CLIENT_DELETED));
        }
        return HttpResponse.<String>noContent().header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private Optional<ClientStore.Registration> authorized(String clientId, String token) {
        Optional<ClientStore.Registration> registration = store.registration(clientId);
        String expected = registration.map(ClientStore.Registration::registrationTokenHash).orElse(null);
        boolean matches = Secrets.constantTimeEquals(Secrets.sha256(token), expected == null ? NO_TOKEN : expected);
        return matches && expected != null ? registration : Optional.empty();
    }

    private HttpResponse<String> information(ClientStore.Registration r, String metadataJson, String token, HttpStatus status) {
        try {
            var metadata = com.nimbusds.oauth2.sdk.client.ClientMetadata.parse(JSONObjectUtils.parse(metadataJson));
            // The secret is stored hashed, so it cannot be repeated here; RFC 7591 §3.2.1 makes it optional.
            ClientInformation info = new ClientInformation(new ClientID(r.client().clientId()), Date.from(r.createdAt()), metadata, null,
                    RegistrationController.configurationUri(settings, r.client().clientId()), new BearerAccessToken(token));
            return HttpResponse.<String>status(status).body(info.toJSONObject().toJSONString())
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
        } catch (ParseException e) {
            throw new IllegalStateException("stored client metadata of " + r.client().clientId() + " does not parse", e);
        }
    }

    private static Optional<String> bearer(HttpRequest<?> request) {
        String header = request.getHeaders().getAuthorization().orElse("");
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }

    /** RFC 6750 §3: no error code when no token was sent, {@code invalid_token} when the one sent is not good here. */
    private static MutableHttpResponse<String> unauthorized(@Nullable String presented) {
        if (presented == null) {
            return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        String description = "the registration access token is not valid for this client";
        return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"" + description + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body("{\"error\":\"invalid_token\",\"error_description\":\"" + description + "\"}");
    }
}
