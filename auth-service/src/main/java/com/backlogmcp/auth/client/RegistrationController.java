package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.NimbusRequests;
import com.backlogmcp.auth.support.Secrets;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
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

/**
 * {@code POST /oauth/register}: RFC 7591 dynamic client registration, open (no initial access token) because MCP
 * agents register themselves. Public clients use {@code none} plus PKCE; confidential ones get a secret, shown once.
 * The response carries {@code registration_client_uri} and a {@code registration_access_token} (RFC 7591 §3.2.1) for
 * the client configuration endpoint ({@link ClientConfigurationController}); some clients (Claude's custom connectors)
 * give up after registration without them.
 */
@Controller("/oauth/register")
final class RegistrationController {

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
        ClientMetadataRules.Accepted accepted;
        try {
            accepted = ClientMetadataRules.check(request, body, settings.issuerBase());
        } catch (ClientMetadataRules.Refused refused) {
            return error(refused.error);
        }
        ClientID clientId = new ClientID(Secrets.newId("cli_"));
        Secret secret = RegisteredClient.NONE.equals(accepted.authMethod()) ? null : new Secret(Secrets.newSecret());
        BearerAccessToken registrationToken = new BearerAccessToken(Secrets.newSecret());
        RegisteredClient client = new RegisteredClient(clientId.getValue(), secret == null ? null : Secrets.sha256(secret.getValue()),
                accepted.authMethod(), accepted.redirectUris(), accepted.metadata().getName(), "dcr");
        store.save(client, accepted.metadata().toJSONObject().toJSONString(), Secrets.sha256(registrationToken.getValue()));
        ClientInformation info = new ClientInformation(clientId, Date.from(clock.instant()), accepted.metadata(), secret,
                configurationUri(settings, clientId.getValue()), registrationToken);
        return HttpResponse.created(info.toJSONObject().toJSONString())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store");
    }

    static URI configurationUri(AuthSettings settings, String clientId) {
        return URI.create(settings.issuerBase() + "/oauth/register/" + clientId);
    }

    static HttpResponse<String> error(ErrorObject error) {
        return NimbusRequests.fromNimbus(new ClientRegistrationErrorResponse(error.setHTTPStatusCode(400)).toHTTPResponse());
    }
}
