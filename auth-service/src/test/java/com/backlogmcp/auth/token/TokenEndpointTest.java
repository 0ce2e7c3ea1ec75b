package com.backlogmcp.auth.token;

import com.backlogmcp.auth.OAuthClientSupport;
import com.backlogmcp.auth.OAuthClientSupport.Pkce;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.AuthorizationCodeStore;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.backlogmcp.auth.OAuthClientSupport.form;
import static com.backlogmcp.auth.OAuthClientSupport.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token endpoint over real HTTP; codes are issued straight into the store (the consent flow has its own test). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointTest implements TestPropertyProvider {

    static final String RESOURCE = "http://mcp.test/p/prj_acme/mcp";
    static final String REDIRECT = "http://127.0.0.1:33418/callback";

    @Inject
    EmbeddedServer server;
    @Inject
    AuthorizationCodeStore codes;

    OAuthClientSupport http;
    String publicClient;
    String confidentialClient;
    String confidentialSecret;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @BeforeAll
    void register() throws Exception {
        http = new OAuthClientSupport(server.getURL().toString());
        JSONObject pub = json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Test agent\"}"), 201);
        publicClient = (String) pub.get("client_id");
        JSONObject conf = json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"https://app.example/cb\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}"), 201);
        confidentialClient = (String) conf.get("client_id");
        confidentialSecret = (String) conf.get("client_secret");
        assertNotNull(confidentialSecret);
    }

    static JSONObject json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSONObjectUtils.parse(r.body());
    }

    String code(String clientId, String redirect, Pkce pkce) {
        return codes.issue(clientId, "usr_acme_member", redirect, pkce.challenge(), RESOURCE, "prj_acme", "ws_acme", "backlog:read backlog:write");
    }

    HttpResponse<String> exchange(String clientId, String code, String redirect, String verifier) throws Exception {
        return http.postForm("/oauth/token", form(params("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirect, "code_verifier", verifier, "client_id", clientId, "resource", RESOURCE)));
    }

    @Test
    void tokenWhenCodeValidThenEs256AccessTokenWithAgreedClaims() throws Exception {
        Pkce pkce = Pkce.create();
        HttpResponse<String> r = exchange(publicClient, code(publicClient, REDIRECT, pkce), REDIRECT, pkce.verifier());
        JSONObject body = json(r, 200);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("Bearer", body.get("token_type"));
        assertEquals(900L, ((Number) body.get("expires_in")).longValue());
        assertNotNull(body.get("refresh_token"));
        SignedJWT jwt = SignedJWT.parse((String) body.get("access_token"));
        assertEquals("ES256", jwt.getHeader().getAlgorithm().getName());
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        JWKSet jwks = JWKSet.parse(http.get("/oauth/jwks").body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new ECDSAVerifier(key)));
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals("http://auth.test", c.getIssuer());
        assertEquals("usr_acme_member", c.getSubject());
        assertEquals(List.of(RESOURCE), c.getAudience());
        assertEquals("backlog:read backlog:write", c.getStringClaim("scope"));
        assertEquals(publicClient, c.getStringClaim("client_id"));
        assertTrue(c.getStringClaim("gid").startsWith("grt_"));
        assertNotNull(c.getJWTID());
        assertEquals(900, (c.getExpirationTime().getTime() - c.getIssueTime().getTime()) / 1000);
    }

    @Test
    void tokenWhenConfidentialClientWrongSecretThen401WithBasicChallenge() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(confidentialClient, "https://app.example/cb", pkce);
        String basic = Base64.getEncoder().encodeToString((confidentialClient + ":wrong").getBytes());
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "authorization_code", "code", code,
                "redirect_uri", "https://app.example/cb", "code_verifier", pkce.verifier())), "Authorization", "Basic " + basic);
        assertEquals("invalid_client", json(r, 401).get("error"));
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    }

    @Test
    void tokenWhenConfidentialClientRightSecretThenIssued() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(confidentialClient, "https://app.example/cb", pkce);
        String basic = Base64.getEncoder().encodeToString((confidentialClient + ":" + confidentialSecret).getBytes());
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "authorization_code", "code", code,
                "redirect_uri", "https://app.example/cb", "code_verifier", pkce.verifier())), "Authorization", "Basic " + basic);
        assertNotNull(json(r, 200).get("access_token"));
    }

    @Test
    void tokenWhenVerifierWrongThenInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        HttpResponse<String> r = exchange(publicClient, code(publicClient, REDIRECT, pkce), REDIRECT, Pkce.create().verifier());
        assertEquals("invalid_grant", json(r, 400).get("error"));
    }

    @Test
    void tokenWhenCodeReplayedThenInvalidGrantAndFirstTokensRevoked() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(publicClient, REDIRECT, pkce);
        JSONObject first = json(exchange(publicClient, code, REDIRECT, pkce.verifier()), 200);
        assertEquals("invalid_grant", json(exchange(publicClient, code, REDIRECT, pkce.verifier()), 400).get("error"));
        // the refresh token issued by the first exchange no longer works: its grant is revoked
        HttpResponse<String> refresh = http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                "refresh_token", (String) first.get("refresh_token"), "client_id", publicClient)));
        assertEquals("invalid_grant", json(refresh, 400).get("error"));
        // and the edges are told, through the outbox, even though the replaying request failed
        String gid = SignedJWT.parse((String) first.get("access_token")).getJWTClaimsSet().getStringClaim("gid");
        assertEquals(List.of("grant.created:null", "grant.revoked:code_replay"),
                com.backlogmcp.auth.GrantEventsReader.awaitEventsFor(gid, 2));
    }

    /** Sends the same request from {@code n} threads released at once; answers in no particular order. */
    List<HttpResponse<String>> race(int n, java.util.concurrent.Callable<HttpResponse<String>> call) throws Exception {
        var start = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(n)) {
            List<java.util.concurrent.Future<HttpResponse<String>>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<HttpResponse<String>> answers = new java.util.ArrayList<>();
            for (var f : futures) {
                answers.add(f.get());
            }
            return answers;
        }
    }

    @Test
    void tokenWhenCodeExchangedConcurrentlyThenOneIssuesAndItsGrantIsRevokedByTheReplays() throws Exception {
        for (int round = 0; round < 5; round++) {
            Pkce pkce = Pkce.create();
            String code = code(publicClient, REDIRECT, pkce);
            List<HttpResponse<String>> answers = race(6, () -> exchange(publicClient, code, REDIRECT, pkce.verifier()));
            List<HttpResponse<String>> issued = answers.stream().filter(r -> r.statusCode() == 200).toList();
            assertEquals(1, issued.size(), "exactly one exchange is the first use");
            assertEquals(5, answers.stream().filter(r -> r.statusCode() == 400 && r.body().contains("invalid_grant")).count());
            // however the replays interleaved with the first use, they revoked what it issued
            JSONObject first = json(issued.get(0), 200);
            HttpResponse<String> refresh = http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                    "refresh_token", (String) first.get("refresh_token"), "client_id", publicClient)));
            assertEquals("invalid_grant", json(refresh, 400).get("error"), "round " + round);
        }
    }

    @Test
    void refreshWhenPresentedConcurrentlyThenOneRotatesAndTheGrantIsRevoked() throws Exception {
        for (int round = 0; round < 5; round++) {
            Pkce pkce = Pkce.create();
            JSONObject issued = json(exchange(publicClient, code(publicClient, REDIRECT, pkce), REDIRECT, pkce.verifier()), 200);
            String body = form(params("grant_type", "refresh_token", "refresh_token", (String) issued.get("refresh_token"), "client_id", publicClient));
            List<HttpResponse<String>> answers = race(6, () -> http.postForm("/oauth/token", body));
            List<HttpResponse<String>> rotated = answers.stream().filter(r -> r.statusCode() == 200).toList();
            assertTrue(rotated.size() <= 1, "at most one presentation rotates the token");
            for (HttpResponse<String> r : rotated) {
                String next = (String) json(r, 200).get("refresh_token");
                HttpResponse<String> again = http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                        "refresh_token", next, "client_id", publicClient)));
                assertEquals("invalid_grant", json(again, 400).get("error"), "the rotated token dies with its grant, round " + round);
            }
        }
    }

    @Test
    void tokenWhenCodeOfAnotherClientThenInvalidGrant() throws Exception {
        JSONObject other = json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}"), 201);
        Pkce pkce = Pkce.create();
        String code = code(publicClient, REDIRECT, pkce);
        HttpResponse<String> r = exchange((String) other.get("client_id"), code, REDIRECT, pkce.verifier());
        assertEquals("invalid_grant", json(r, 400).get("error"));
    }

    @Test
    void tokenWhenRedirectUriDiffersThenInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        HttpResponse<String> r = exchange(publicClient, code(publicClient, REDIRECT, pkce), "http://127.0.0.1:1/other", pkce.verifier());
        assertEquals("invalid_grant", json(r, 400).get("error"));
    }

    @Test
    void tokenWhenResourceDiffersThenInvalidTarget() throws Exception {
        Pkce pkce = Pkce.create();
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "authorization_code",
                "code", code(publicClient, REDIRECT, pkce), "redirect_uri", REDIRECT, "code_verifier", pkce.verifier(),
                "client_id", publicClient, "resource", "http://mcp.test/p/prj_hobby/mcp")));
        assertEquals("invalid_target", json(r, 400).get("error"));
    }

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() throws Exception {
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "urn:example:nope", "client_id", publicClient)));
        assertEquals("unsupported_grant_type", json(r, 400).get("error"));
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() throws Exception {
        HttpResponse<String> r = http.postForm("/oauth/token", "grant_type=authorization_code&code=a&code=b&client_id=" + publicClient);
        assertEquals("invalid_request", json(r, 400).get("error"));
    }

    @Test
    void refreshWhenScopeWiderThanGrantedThenInvalidScope() throws Exception {
        Pkce pkce = Pkce.create();
        JSONObject issued = json(exchange(publicClient, code(publicClient, REDIRECT, pkce), REDIRECT, pkce.verifier()), 200);
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                "refresh_token", (String) issued.get("refresh_token"), "client_id", publicClient, "scope", "members:write")));
        assertEquals("invalid_scope", json(r, 400).get("error"));
    }

    @Test
    void tokenWhenUnknownClientThenInvalidClient401() throws Exception {
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "authorization_code", "code", "x",
                "redirect_uri", REDIRECT, "code_verifier", Pkce.create().verifier(), "client_id", "cli_nope")));
        assertEquals("invalid_client", json(r, 401).get("error"));
    }

    @Test
    void tokenWhenRefreshTokenOfAnotherClientThenInvalidGrant() throws Exception {
        Pkce pkce = Pkce.create();
        JSONObject issued = json(exchange(publicClient, code(publicClient, REDIRECT, pkce), REDIRECT, pkce.verifier()), 200);
        JSONObject other = json(http.postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}"), 201);
        HttpResponse<String> r = http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                "refresh_token", (String) issued.get("refresh_token"), "client_id", (String) other.get("client_id"))));
        assertEquals("invalid_grant", json(r, 400).get("error"));
        // the rightful client's token was not burned by the failed attempt
        HttpResponse<String> ok = http.postForm("/oauth/token", form(params("grant_type", "refresh_token",
                "refresh_token", (String) issued.get("refresh_token"), "client_id", publicClient)));
        assertEquals(200, ok.statusCode(), ok.body());
    }
}
