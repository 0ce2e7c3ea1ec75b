package com.backlogmcp.auth.introspect;

import com.backlogmcp.auth.apikey.ApiKey;
import com.backlogmcp.auth.apikey.ApiKeys;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.token.AccessTokens;
import com.backlogmcp.auth.token.OAuthEndpointMessages;
import com.backlogmcp.auth.token.OAuthException;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import net.minidev.json.JSONObject;

import java.util.Optional;

/**
 * {@code POST /oauth/introspect} (RFC 7662), for the edge only: the caller must present a service credential.
 * API keys answer the agreed shape {@code {active, sub, scope, client_id, token_type:"api_key", key_id, project_id?,
 * workspace_id?}}; access tokens answer their claims, and are inactive once their grant is revoked.
 */
@Controller("/oauth/introspect")
final class IntrospectionController {

    private static final String SERVICE_CHALLENGE = "Bearer realm=\"internal\"";

    private final ServiceTokens serviceTokens;
    private final ApiKeys apiKeys;
    private final AccessTokens accessTokens;
    private final GrantStore grants;
    private final AuthSettings settings;

    IntrospectionController(ServiceTokens serviceTokens, ApiKeys apiKeys, AccessTokens accessTokens, GrantStore grants, AuthSettings settings) {
        this.settings = settings;
        this.serviceTokens = serviceTokens;
        this.apiKeys = apiKeys;
        this.accessTokens = accessTokens;
        this.grants = grants;
    }

    @Post(produces = MediaType.APPLICATION_JSON)
    @Consumes(MediaType.ALL)
    HttpResponse<String> introspect(HttpRequest<?> request, @Nullable @Body String body) {
        String auth = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (serviceTokens.verify(bearer, ServiceNames.AUTH).isEmpty()) {
            return OAuthEndpointMessages.error(new OAuthException(OAuth2Error.INVALID_CLIENT, "introspection needs a service credential"),
                    SERVICE_CHALLENGE);
        }
        String token;
        try {
            token = OAuthEndpointMessages.parse(request, body, settings.issuerBase()).get("token");
            if (token == null || token.isEmpty()) {
                throw OAuthException.invalidRequest("token is required");
            }
        } catch (OAuthException e) {
            return OAuthEndpointMessages.error(e, SERVICE_CHALLENGE);
        }
        JSONObject out = new JSONObject();
        out.put("active", false);
        if (token.startsWith(ApiKeys.PREFIX)) {
            apiKeys.find(token).ifPresent(k -> describe(out, k));
        } else {
            Optional<JWTClaimsSet> claims = accessTokens.verify(token);
            claims.ifPresent(c -> grants.find((String) c.getClaim("gid")).filter(Grant::active).ifPresent(g -> describe(out, c, g)));
        }
        return HttpResponse.ok(out.toJSONString()).header("Cache-Control", "no-store");
    }

    private static void describe(JSONObject out, ApiKey k) {
        out.put("active", true);
        out.put("sub", k.userId());
        out.put("scope", k.scope());
        out.put("client_id", k.id());
        out.put("token_type", "api_key");
        out.put("key_id", k.id());
        if (k.projectId() != null) {
            out.put("project_id", k.projectId());
        }
        if (k.workspaceId() != null) {
            out.put("workspace_id", k.workspaceId());
        }
        out.put("iat", k.createdAt().getEpochSecond());
    }

    private static void describe(JSONObject out, JWTClaimsSet c, Grant g) {
        out.put("active", true);
        out.put("sub", c.getSubject());
        out.put("scope", c.getClaim("scope"));
        out.put("client_id", c.getClaim("client_id"));
        out.put("token_type", "Bearer");
        out.put("gid", g.id());
        out.put("aud", g.resource());
        out.put("iss", c.getIssuer());
        out.put("jti", c.getJWTID());
        out.put("project_id", g.projectId());
        if (g.workspaceId() != null) {
            out.put("workspace_id", g.workspaceId());
        }
        out.put("exp", c.getExpirationTime().toInstant().getEpochSecond());
        out.put("iat", c.getIssueTime().toInstant().getEpochSecond());
    }
}
