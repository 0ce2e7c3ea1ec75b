package com.backlogmcp.auth.metadata;

import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.contracts.vocabulary.Scope;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.net.URI;
import java.util.List;

/**
 * RFC 8414 authorization server metadata. The same document is served at {@code /.well-known/openid-configuration}
 * because several MCP clients probe that path first; this server issues no ID tokens.
 */
@Controller
final class MetadataController {

    private final String json;

    MetadataController(AuthSettings settings) {
        String base = settings.issuerBase();
        AuthorizationServerMetadata m = new AuthorizationServerMetadata(new Issuer(base));
        m.setAuthorizationEndpointURI(URI.create(base + "/oauth/authorize"));
        m.setTokenEndpointURI(URI.create(base + "/oauth/token"));
        m.setRegistrationEndpointURI(URI.create(base + "/oauth/register"));
        m.setRevocationEndpointURI(URI.create(base + "/oauth/revoke"));
        m.setIntrospectionEndpointURI(URI.create(base + "/oauth/introspect"));
        m.setJWKSetURI(URI.create(base + "/oauth/jwks"));
        m.setScopes(com.nimbusds.oauth2.sdk.Scope.parse(Scope.allValues()));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        List<ClientAuthenticationMethod> methods = List.of(ClientAuthenticationMethod.NONE,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
        m.setTokenEndpointAuthMethods(methods);
        m.setRevocationEndpointAuthMethods(methods);
        m.setSupportsAuthorizationResponseIssuerParam(true);
        m.setCustomParameter("client_id_metadata_document_supported", true);
        m.setCustomParameter("resource_indicators_supported", true);
        m.setServiceDocsURI(URI.create(base + "/account/connect"));
        this.json = m.toJSONObject().toJSONString();
    }

    @Get(uris = {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> metadata() {
        return HttpResponse.ok(json).header("Cache-Control", "public, max-age=300");
    }
}
