package com.backlogmcp.auth.client;

import com.backlogmcp.auth.OAuthClientSupport;
import com.backlogmcp.auth.TestStack;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7591 registration rules and CORS for browser-based clients. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationTest implements TestPropertyProvider {

    static final String ORIGIN = "http://localhost:6274";

    @Inject
    EmbeddedServer server;
    OAuthClientSupport http;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.auth.cors-origins", ORIGIN + ", https://inspector.example");
        return p;
    }

    @BeforeAll
    void start() {
        http = new OAuthClientSupport(server.getURL().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example/cb", "http://localhost:33418/callback", "http://127.0.0.1:9/cb", "http://[::1]:8000/cb",
            "cursor://anysphere.cursor-retrieval/oauth/user-callback", "vscode://vscode.github-authentication/did-authenticate"})
    void registerWhenRedirectUriAcceptableThen201(String uri) throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{\"redirect_uris\":[\"" + uri + "\"],\"token_endpoint_auth_method\":\"none\"}");
        assertEquals(201, r.statusCode(), r.body());
        var body = JSONObjectUtils.parse(r.body());
        assertTrue(((String) body.get("client_id")).startsWith("cli_"));
        assertNull(body.get("client_secret"), "public clients get no secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://app.example/cb", "https://app.example/cb#frag", "javascript:alert(1)", "file:///etc/passwd", "/relative/cb", "data:text/html,x"})
    void registerWhenRedirectUriRefusedThenInvalidRedirectUri(String uri) throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{\"redirect_uris\":[\"" + uri + "\"],\"token_endpoint_auth_method\":\"none\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("invalid_redirect_uri", JSONObjectUtils.parse(r.body()).get("error"), r.body());
    }

    @Test
    void registerWhenRedirectUrisMissingThenInvalidRedirectUri() throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{\"client_name\":\"x\"}");
        assertEquals("invalid_redirect_uri", JSONObjectUtils.parse(r.body()).get("error"));
    }

    @Test
    void registerWhenBodyIsNotJsonThenInvalidClientMetadata() throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{not json");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_client_metadata", JSONObjectUtils.parse(r.body()).get("error"));
    }

    @Test
    void registerWhenAuthMethodUnsupportedThenInvalidClientMetadata() throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{\"redirect_uris\":[\"https://a.example/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}");
        assertEquals("invalid_client_metadata", JSONObjectUtils.parse(r.body()).get("error"));
    }

    @Test
    void registerWhenGrantTypeUnsupportedThenInvalidClientMetadata() throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{\"redirect_uris\":[\"https://a.example/cb\"],\"grant_types\":[\"client_credentials\"]}");
        assertEquals("invalid_client_metadata", JSONObjectUtils.parse(r.body()).get("error"));
    }

    @Test
    void registerWhenConfidentialThenSecretReturnedOnce() throws Exception {
        HttpResponse<String> r = http.postJson("/oauth/register", "{\"redirect_uris\":[\"https://a.example/cb\"],\"token_endpoint_auth_method\":\"client_secret_post\"}");
        assertEquals(201, r.statusCode());
        assertTrue(((String) JSONObjectUtils.parse(r.body()).get("client_secret")).length() >= 43);
    }

    @Test
    void corsWhenAllowedOriginPreflightsTokenThenAllowed() throws Exception {
        HttpResponse<String> r = http.http.send(HttpRequest.newBuilder(URI.create(http.base + "/oauth/token"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode());
        assertEquals(ORIGIN, r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> meta = http.get("/.well-known/oauth-authorization-server", "Origin", ORIGIN);
        assertEquals(ORIGIN, meta.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> reg = http.postJson("/oauth/register", "{\"redirect_uris\":[\"https://a.example/cb\"]}", "Origin", ORIGIN);
        assertEquals(ORIGIN, reg.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void corsWhenOriginNotConfiguredThenNoAllowHeader() throws Exception {
        HttpResponse<String> r = http.http.send(HttpRequest.newBuilder(URI.create(http.base + "/oauth/token"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        HttpResponse<String> meta = http.get("/.well-known/oauth-authorization-server", "Origin", "https://evil.example");
        assertTrue(meta.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void corsWhenAccountPageThenNeverCrossOrigin() throws Exception {
        HttpResponse<String> r = http.get("/login", "Origin", ORIGIN);
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
}
