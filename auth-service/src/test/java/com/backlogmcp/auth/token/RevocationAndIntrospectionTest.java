package com.backlogmcp.auth.token;

import com.backlogmcp.auth.OAuthClientSupport;
import com.backlogmcp.auth.OAuthClientSupport.Pkce;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.AuthorizationCodeStore;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import static com.backlogmcp.auth.OAuthClientSupport.form;
import static com.backlogmcp.auth.OAuthClientSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every answer of {@code POST /oauth/revoke} (RFC 7009) and {@code POST /oauth/introspect} (RFC 7662): each rejection
 * branch alone, and that every answer, error or not, is {@code no-store}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationAndIntrospectionTest implements TestPropertyProvider {

    static final String RESOURCE = "http://mcp.test/p/prj_acme/mcp";
    static final String REDIRECT = "http://127.0.0.1:33419/callback";

    @Inject
    EmbeddedServer server;
    @Inject
    AuthorizationCodeStore codes;

    OAuthClientSupport http;
    String publicClient;
    String otherClient;
    String confidentialClient;
    String confidentialSecret;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @BeforeAll
    void register() throws Exception {
        http = new OAuthClientSupport(server.getURL().toString());
        publicClient = (String) json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}"), 201).get("client_id");
        otherClient = (String) json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}"), 201).get("client_id");
        JSONObject conf = json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"https://app.example/cb\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}"), 201);
        confidentialClient = (String) conf.get("client_id");
        confidentialSecret = (String) conf.get("client_secret");
    }

    static JSONObject json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), "every answer is no-store: " + r.body());
        return r.body().isEmpty() ? new JSONObject() : JSONObjectUtils.parse(r.body());
    }

    /** A fresh grant for the public client: its access and refresh tokens. */
    JSONObject tokens() throws Exception {
        Pkce pkce = Pkce.create();
        String code = codes.issue(publicClient, "usr_acme_member", REDIRECT, pkce.challenge(), RESOURCE, "prj_acme", "ws_acme", "backlog:read");
        return json(http.postForm("/oauth/token", form(params("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", pkce.verifier(), "client_id", publicClient))), 200);
    }

    HttpResponse<String> revoke(String body, String... headers) throws Exception {
        return http.postForm("/oauth/revoke", body, headers);
    }

    HttpResponse<String> refresh(JSONObject issued) throws Exception {
        return http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                "refresh_token", (String) issued.get("refresh_token"), "client_id", publicClient)));
    }

    static String serviceCredential(String caller, String audience) {
        return "Bearer " + new ServiceTokens(TestStack.SERVICE_SECRET).mint(caller, audience);
    }

    HttpResponse<String> introspect(String body, String... headers) throws Exception {
        return http.postForm("/oauth/introspect", body, headers);
    }

    HttpResponse<String> introspectAsEdge(String token) throws Exception {
        return introspect(form(params("token", token)), "Authorization", serviceCredential(ServiceNames.MCP, ServiceNames.AUTH));
    }

    // ---- revocation -------------------------------------------------------------------------------------------

    @Test
    void revokeWhenRefreshTokenOfTheClientThen200AndGrantRevoked() throws Exception {
        JSONObject issued = tokens();
        json(revoke(form(params("token", (String) issued.get("refresh_token"), "client_id", publicClient))), 200);
        assertEquals("invalid_grant", json(refresh(issued), 400).get("error"));
        assertEquals(false, json(introspectAsEdge((String) issued.get("access_token")), 200).get("active"));
    }

    @Test
    void revokeWhenAccessTokenOfTheClientThen200AndGrantRevoked() throws Exception {
        JSONObject issued = tokens();
        json(revoke(form(params("token", (String) issued.get("access_token"), "token_type_hint", "access_token", "client_id", publicClient))), 200);
        assertEquals("invalid_grant", json(refresh(issued), 400).get("error"));
    }

    @Test
    void revokeWhenTokenOfAnotherClientThen200AndNothingRevoked() throws Exception {
        JSONObject issued = tokens();
        json(revoke(form(params("token", (String) issued.get("refresh_token"), "client_id", otherClient))), 200);
        json(revoke(form(params("token", (String) issued.get("access_token"), "client_id", otherClient))), 200);
        assertEquals(200, refresh(issued).statusCode(), "RFC 7009 §2.2: nothing to tell, nothing done");
    }

    @Test
    void revokeWhenTokenUnknownThen200() throws Exception {
        json(revoke(form(params("token", "no-such-token", "client_id", publicClient))), 200);
    }

    @Test
    void revokeWhenTokenMissingThenInvalidRequest() throws Exception {
        assertEquals("invalid_request", json(revoke(form(params("client_id", publicClient))), 400).get("error"));
    }

    @Test
    void revokeWhenParameterRepeatedThenInvalidRequest() throws Exception {
        assertEquals("invalid_request", json(revoke("token=a&token=b&client_id=" + publicClient), 400).get("error"));
    }

    @Test
    void revokeWhenBodyIsNotAFormThenInvalidRequest() throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/revoke", "{\"token\":\"a\",\"client_id\":\"" + publicClient + "\"}");
        assertEquals("invalid_request", json(r, 400).get("error"));
    }

    @Test
    void revokeWhenNoClientIdentifiedThenInvalidRequest() throws Exception {
        assertEquals("invalid_request", json(revoke(form(params("token", "x"))), 400).get("error"));
    }

    @Test
    void revokeWhenClientUnknownThenInvalidClient401() throws Exception {
        assertEquals("invalid_client", json(revoke(form(params("token", "x", "client_id", "cli_nope"))), 401).get("error"));
    }

    @Test
    void revokeWhenConfidentialClientWrongSecretThen401WithBasicChallenge() throws Exception {
        String basic = Base64.getEncoder().encodeToString((confidentialClient + ":wrong").getBytes());
        HttpResponse<String> r = revoke(form(params("token", "x")), "Authorization", "Basic " + basic);
        assertEquals("invalid_client", json(r, 401).get("error"));
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    }

    @Test
    void revokeWhenConfidentialClientRightSecretThen200() throws Exception {
        String basic = Base64.getEncoder().encodeToString((confidentialClient + ":" + confidentialSecret).getBytes());
        json(revoke(form(params("token", "x")), "Authorization", "Basic " + basic), 200);
    }

    // ---- introspection ----------------------------------------------------------------------------------------

    @Test
    void introspectWhenEdgeAsksAboutLiveTokenThenActiveWithClaims() throws Exception {
        JSONObject issued = tokens();
        JSONObject answer = json(introspectAsEdge((String) issued.get("access_token")), 200);
        assertEquals(true, answer.get("active"));
        assertEquals(publicClient, answer.get("client_id"));
        assertEquals(RESOURCE, answer.get("aud"));
    }

    @Test
    void introspectWhenTokenUnknownOrForgedThenInactive() throws Exception {
        assertEquals(false, json(introspectAsEdge("not-a-token"), 200).get("active"));
        assertEquals(false, json(introspectAsEdge("bmcp_notakey"), 200).get("active"));
        assertEquals(Map.of("active", false), json(introspectAsEdge("eyJhbGciOiJub25lIn0.e30."), 200));
    }

    @Test
    void introspectWhenGrantRevokedThenInactive() throws Exception {
        JSONObject issued = tokens();
        json(revoke(form(params("token", (String) issued.get("refresh_token"), "client_id", publicClient))), 200);
        assertEquals(false, json(introspectAsEdge((String) issued.get("access_token")), 200).get("active"));
    }

    @Test
    void introspectWhenNoCredentialThen401WithBearerChallenge() throws Exception {
        HttpResponse<String> r = introspect(form(params("token", "x")));
        assertEquals("invalid_client", json(r, 401).get("error"));
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void introspectWhenCallerPresentsAnAccessTokenInsteadOfServiceCredentialThen401() throws Exception {
        JSONObject issued = tokens();
        HttpResponse<String> r = introspect(form(params("token", (String) issued.get("access_token"))), "Authorization", "Bearer " + issued.get("access_token"));
        assertEquals("invalid_client", json(r, 401).get("error"));
    }

    @Test
    void introspectWhenServiceCredentialIsForAnotherServiceThen401() throws Exception {
        HttpResponse<String> r = introspect(form(params("token", "x")), "Authorization", serviceCredential(ServiceNames.MCP, ServiceNames.BACKLOG));
        assertEquals("invalid_client", json(r, 401).get("error"));
    }

    @Test
    void introspectWhenServiceCredentialSignedWithAnotherSecretThen401() throws Exception {
        String forged = "Bearer " + new ServiceTokens("another-secret-0123456789abcdef-0123").mint(ServiceNames.MCP, ServiceNames.AUTH);
        assertEquals("invalid_client", json(introspect(form(params("token", "x")), "Authorization", forged), 401).get("error"));
    }

    @Test
    void introspectWhenTokenMissingThenInvalidRequest() throws Exception {
        HttpResponse<String> r = introspect("", "Authorization", serviceCredential(ServiceNames.MCP, ServiceNames.AUTH));
        assertEquals("invalid_request", json(r, 400).get("error"));
    }

    @Test
    void introspectWhenTokenRepeatedThenInvalidRequest() throws Exception {
        HttpResponse<String> r = introspect("token=a&token=b", "Authorization", serviceCredential(ServiceNames.MCP, ServiceNames.AUTH));
        assertEquals("invalid_request", json(r, 400).get("error"));
    }

    @Test
    void introspectWhenBodyIsNotAFormThenInvalidRequest() throws Exception {
        HttpResponse<String> r = http.http.send(HttpRequest.newBuilder(URI.create(http.base + "/oauth/introspect"))
                .header("Content-Type", "application/json").header("Authorization", serviceCredential(ServiceNames.MCP, ServiceNames.AUTH))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("invalid_request", json(r, 400).get("error"));
    }
}
