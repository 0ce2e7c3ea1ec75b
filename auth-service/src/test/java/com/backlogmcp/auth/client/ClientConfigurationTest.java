package com.backlogmcp.auth.client;

import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.support.Secrets;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7592 client configuration endpoint: read, update, delete with the registration access token, and each refusal. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientConfigurationTest implements TestPropertyProvider {

    private static final String CALLBACK = "http://127.0.0.1:33418/callback";

    @Inject
    EmbeddedServer server;
    @Inject
    ClientStore store;
    @Inject
    GrantStore grants;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @BeforeAll
    void start() {
        base = server.getURL().toString();
    }

    /** A registered client as the registration response describes it. */
    record Registered(String clientId, String token, String uri, String secret) {
    }

    Registered register(String method) throws Exception {
        HttpResponse<String> r = send("POST", "/oauth/register", null,
                "{\"redirect_uris\":[\"" + CALLBACK + "\"],\"token_endpoint_auth_method\":\"" + method + "\",\"client_name\":\"Agent\"}");
        assertEquals(201, r.statusCode(), r.body());
        JSONObject body = JSONObjectUtils.parse(r.body());
        return new Registered((String) body.get("client_id"), (String) body.get("registration_access_token"),
                (String) body.get("registration_client_uri"), (String) body.get("client_secret"));
    }

    HttpResponse<String> send(String method, String path, String authorization, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String path(Registered c) {
        return "/oauth/register/" + c.clientId();
    }

    static String update(Registered c, String extra) {
        return "{\"client_id\":\"" + c.clientId() + "\",\"redirect_uris\":[\"http://127.0.0.1:40000/cb\"],"
                + "\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Renamed\"" + extra + "}";
    }

    void assertInvalidToken(HttpResponse<String> r) throws Exception {
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer error=\"invalid_token\""));
        assertEquals("invalid_token", JSONObjectUtils.parse(r.body()).get("error"));
    }

    void assertUnchanged(Registered c) throws Exception {
        JSONObject now = JSONObjectUtils.parse(send("GET", path(c), "Bearer " + c.token(), null).body());
        assertEquals("Agent", now.get("client_name"));
        assertEquals(List.of(CALLBACK), now.get("redirect_uris"));
    }

    @Test
    void registerWhenAcceptedThenResponseNamesConfigurationUriAndToken() throws Exception {
        Registered c = register("none");
        assertEquals("http://auth.test/oauth/register/" + c.clientId(), c.uri());
        assertNotNull(c.token());
        assertTrue(c.token().length() >= 32);
        ClientStore.Registration stored = store.registration(c.clientId()).orElseThrow();
        assertEquals(Secrets.sha256(c.token()), stored.registrationTokenHash(), "only the token's SHA-256 is stored");
        assertFalse(stored.metadataJson().contains(c.token()));
    }

    @Test
    void readWhenTokenValidThenClientInformationWithoutSecret() throws Exception {
        Registered c = register("client_secret_basic");
        HttpResponse<String> r = send("GET", path(c), "Bearer " + c.token(), null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        JSONObject body = JSONObjectUtils.parse(r.body());
        assertEquals(c.clientId(), body.get("client_id"));
        assertEquals(List.of(CALLBACK), body.get("redirect_uris"));
        assertEquals("Agent", body.get("client_name"));
        assertEquals(c.uri(), body.get("registration_client_uri"));
        assertEquals(c.token(), body.get("registration_access_token"));
        assertNull(body.get("client_secret"), "the secret is stored hashed and never repeated");
        assertNotNull(body.get("client_id_issued_at"));
    }

    @Test
    void readWhenNoAuthorizationThen401WithoutErrorCode() throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("GET", path(c), null, null);
        assertEquals(401, r.statusCode());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc"})
    void readWhenAuthorizationIsNotABearerTokenThen401(String header) throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("GET", path(c), header, null);
        assertEquals(401, r.statusCode());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void readWhenTokenWrongThenInvalidToken() throws Exception {
        Registered c = register("none");
        assertInvalidToken(send("GET", path(c), "Bearer " + c.token() + "x", null));
    }

    @Test
    void readWhenAnotherClientsTokenThenInvalidToken() throws Exception {
        Registered c = register("none");
        Registered other = register("none");
        assertInvalidToken(send("GET", path(c), "Bearer " + other.token(), null));
    }

    @Test
    void readWhenClientUnknownThenSameInvalidToken() throws Exception {
        Registered c = register("none");
        assertInvalidToken(send("GET", "/oauth/register/cli_doesnotexist", "Bearer " + c.token(), null));
    }

    @Test
    void readWhenClientHasNoRegistrationTokenThenInvalidTokenWhateverIsSent() throws Exception {
        store.save(new RegisteredClient("cli_admin_made", null, RegisteredClient.NONE, List.of(CALLBACK), "Admin", "admin"), "{}");
        assertInvalidToken(send("GET", "/oauth/register/cli_admin_made", "Bearer no registration access token", null));
        assertInvalidToken(send("GET", "/oauth/register/cli_admin_made", "Bearer anything", null));
    }

    @Test
    void updateWhenValidThenMetadataReplacedAndUsedForRedirects() throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), update(c, ""));
        assertEquals(200, r.statusCode(), r.body());
        JSONObject body = JSONObjectUtils.parse(r.body());
        assertEquals("Renamed", body.get("client_name"));
        assertEquals(List.of("http://127.0.0.1:40000/cb"), body.get("redirect_uris"));
        assertEquals(c.uri(), body.get("registration_client_uri"));
        RegisteredClient stored = store.find(c.clientId()).orElseThrow();
        assertTrue(stored.allowsRedirect("http://127.0.0.1:40000/cb"));
        assertFalse(stored.allowsRedirect(CALLBACK), "fields left out of an update are removed");
        assertEquals("Renamed", stored.clientName());
    }

    @Test
    void updateWhenConfidentialClientSendsItsSecretThenAccepted() throws Exception {
        Registered c = register("client_secret_post");
        String json = update(c, ",\"client_secret\":\"" + c.secret() + "\"").replace("\"none\"", "\"client_secret_post\"");
        assertEquals(200, send("PUT", path(c), "Bearer " + c.token(), json).statusCode());
        assertEquals(Secrets.sha256(c.secret()), store.find(c.clientId()).orElseThrow().secretHash(), "the secret is unchanged");
    }

    @Test
    void updateWhenNoTokenOrWrongTokenThen401AndNothingChanged() throws Exception {
        Registered c = register("none");
        assertEquals(401, send("PUT", path(c), null, update(c, "")).statusCode());
        assertInvalidToken(send("PUT", path(c), "Bearer wrong", update(c, "")));
        assertUnchanged(c);
    }

    @Test
    void updateWhenBodyNotJsonThenInvalidClientMetadata() throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), "{not json");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_client_metadata", JSONObjectUtils.parse(r.body()).get("error"));
        assertUnchanged(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "other"})
    void updateWhenClientIdMissingOrDifferentThenInvalidClientMetadata(String kind) throws Exception {
        Registered c = register("none");
        String json = update(c, "").replace("\"client_id\":\"" + c.clientId() + "\",", kind.equals("missing") ? "" : "\"client_id\":\"cli_other\",");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), json);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("invalid_client_metadata", JSONObjectUtils.parse(r.body()).get("error"));
        assertUnchanged(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"})
    void updateWhenServerFieldSentThenInvalidClientMetadata(String field) throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), update(c, ",\"" + field + "\":\"x\""));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(((String) JSONObjectUtils.parse(r.body()).get("error_description")).contains(field));
        assertUnchanged(c);
    }

    @Test
    void updateWhenClientSecretDoesNotMatchThenInvalidClientMetadata() throws Exception {
        Registered c = register("client_secret_basic");
        String json = update(c, ",\"client_secret\":\"guess\"").replace("\"none\"", "\"client_secret_basic\"");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), json);
        assertEquals(400, r.statusCode());
        assertEquals("invalid_client_metadata", JSONObjectUtils.parse(r.body()).get("error"));
        assertUnchanged(c);
    }

    @Test
    void updateWhenRedirectUriRefusedThenInvalidRedirectUri() throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), update(c, "").replace("http://127.0.0.1:40000/cb", "http://evil.example/cb"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_redirect_uri", JSONObjectUtils.parse(r.body()).get("error"));
        assertUnchanged(c);
    }

    @Test
    void updateWhenAuthMethodWouldChangeThenInvalidClientMetadata() throws Exception {
        Registered c = register("none");
        HttpResponse<String> r = send("PUT", path(c), "Bearer " + c.token(), update(c, "").replace("\"none\"", "\"client_secret_basic\""));
        assertEquals(400, r.statusCode());
        assertTrue(((String) JSONObjectUtils.parse(r.body()).get("error_description")).contains("cannot change"));
        assertUnchanged(c);
    }

    @Test
    void deleteWhenTokenValidThenClientGoneGrantsRevokedAndTokenDead() throws Exception {
        Registered c = register("none");
        Grant g = grants.create("usr_x", c.clientId(), "prj_acme", "ws_acme", "http://mcp.test/p/prj_acme/mcp", "backlog:read", CALLBACK);
        HttpResponse<String> r = send("DELETE", path(c), "Bearer " + c.token(), null);
        assertEquals(204, r.statusCode(), r.body());
        assertTrue(store.find(c.clientId()).isEmpty());
        Grant revoked = grants.find(g.id()).orElseThrow();
        assertNotNull(revoked.revokedAt());
        assertEquals("client_deleted", revoked.revokeReason());
        assertInvalidToken(send("GET", path(c), "Bearer " + c.token(), null));
        assertInvalidToken(send("DELETE", path(c), "Bearer " + c.token(), null));
    }

    @Test
    void deleteWhenNoTokenOrWrongTokenThen401AndClientStays() throws Exception {
        Registered c = register("none");
        assertEquals(401, send("DELETE", path(c), null, null).statusCode());
        assertInvalidToken(send("DELETE", path(c), "Bearer " + register("none").token(), null));
        assertTrue(store.find(c.clientId()).isPresent());
    }
}
