package com.backlogmcp.auth.authorize;

import com.backlogmcp.auth.Browser;
import com.backlogmcp.auth.FakeBacklog;
import com.backlogmcp.auth.MutableClock;
import com.backlogmcp.auth.OAuthClientSupport.Pkce;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.user.Authentication;
import com.backlogmcp.auth.user.Passwords;
import com.backlogmcp.auth.user.User;
import com.backlogmcp.auth.user.UserStore;
import com.backlogmcp.contracts.demo.DemoFixture;
import com.backlogmcp.contracts.vocabulary.Scope;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization flow over real HTTP with real PostgreSQL and Kafka; backlog-service is the {@link FakeBacklog}
 * speaking the agreed {@code /internal/authz} contract.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizeFlowTest implements TestPropertyProvider {

    static final String SPEC = "AuthorizeFlowTest";
    static final String REDIRECT = "http://127.0.0.1:47123/callback";
    static final String ACME = "http://mcp.test/p/prj_acme/mcp";

    @Factory
    @Requires(property = "spec.name", value = SPEC)
    static class ClockOverride {
        @Singleton
        @Replaces(Clock.class)
        MutableClock clock() {
            return new MutableClock();
        }
    }

    FakeBacklog backlog;
    @Inject
    EmbeddedServer server;
    @Inject
    MutableClock clock;
    @Inject
    UserStore users;
    @Inject
    Passwords passwords;
    @Inject
    Authentication authentication;
    String base;
    String clientId;

    @Override
    public Map<String, String> getProperties() {
        try {
            backlog = new FakeBacklog();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("spec.name", SPEC);
        p.put("micronaut.http.services.backlog.url", backlog.url());
        p.put("backlogmcp.auth.seed-demo-data", "true");
        return p;
    }

    @BeforeAll
    void registerClient() throws Exception {
        base = server.getURL().toString();
        HttpResponse<String> r = new Browser(base).postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Flow agent\"}");
        assertEquals(201, r.statusCode(), r.body());
        clientId = (String) JSONObjectUtils.parse(r.body()).get("client_id");
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @AfterAll
    void stopBacklog() {
        backlog.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    String authorizeUrl(String client, String redirect, String resource, String scope, Pkce pkce, String method, String state) {
        StringBuilder sb = new StringBuilder("/oauth/authorize?response_type=code&client_id=").append(q(client))
                .append("&redirect_uri=").append(q(redirect)).append("&state=").append(q(state));
        if (resource != null) {
            sb.append("&resource=").append(q(resource));
        }
        if (scope != null) {
            sb.append("&scope=").append(q(scope));
        }
        if (pkce != null) {
            sb.append("&code_challenge=").append(q(method != null && method.equals("plain") ? pkce.verifier() : pkce.challenge()));
            if (method != null) {
                sb.append("&code_challenge_method=").append(method);
            }
        }
        return sb.toString();
    }

    Browser loggedIn(DemoFixture.DemoUser user) throws Exception {
        Browser b = new Browser(base);
        b.login(user.email(), user.password(), null);
        return b;
    }

    /** Submits the consent form as a browser would: hidden fields plus every enabled, checked scope box. */
    HttpResponse<String> approve(Browser b, String consentHtml, List<String> extraScopes) throws Exception {
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(consentHtml).forEach((k, v) -> form.add(new String[]{k, v}));
        var m = java.util.regex.Pattern.compile("<input type=\"checkbox\" name=\"scope\" value=\"([^\"]+)\"[^>]*?(checked=\"checked\")?[^>]*>").matcher(consentHtml);
        while (m.find()) {
            if (m.group(0).contains("checked") && !m.group(0).contains("disabled")) {
                form.add(new String[]{"scope", m.group(1)});
            }
        }
        extraScopes.forEach(s -> form.add(new String[]{"scope", s}));
        form.add(new String[]{"decision", "approve"});
        return b.post("/oauth/authorize", form);
    }

    static Map<String, String> query(String location) {
        Map<String, String> out = new HashMap<>();
        URLUtils.parseParameters(URI.create(location).getRawQuery()).forEach((k, v) -> out.put(k, v.get(0)));
        return out;
    }

    HttpResponse<String> token(String body) throws Exception {
        return new com.backlogmcp.auth.OAuthClientSupport(base).postForm("/oauth/token", body);
    }

    String codeFor(Browser b, String resource, String scope, Pkce pkce) throws Exception {
        HttpResponse<String> consent = b.get(authorizeUrl(clientId, REDIRECT, resource, scope, pkce, "S256", "st"));
        assertEquals(200, consent.statusCode(), consent.body());
        HttpResponse<String> r = approve(b, consent.body(), List.of());
        assertEquals(302, r.statusCode(), r.body());
        return query(r.headers().firstValue("Location").orElseThrow()).get("code");
    }

    // ---- the full flow ---------------------------------------------------------------------------------------

    @Test
    void fullFlowWhenUserApprovesThenTokensRefreshReuseRevokesAndRevokeWorks() throws Exception {
        Browser browser = new Browser(base);
        // discovery
        AuthorizationServerMetadata meta = AuthorizationServerMetadata.parse(browser.get("/.well-known/oauth-authorization-server").body());
        assertEquals("/oauth/authorize", meta.getAuthorizationEndpointURI().getPath());
        // registration
        HttpResponse<String> reg = browser.postJson(meta.getRegistrationEndpointURI().getPath(),
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Claude Test\"}");
        assertEquals(201, reg.statusCode(), reg.body());
        String client = (String) JSONObjectUtils.parse(reg.body()).get("client_id");
        // authorize: anonymous → login → back to authorize → consent
        Pkce pkce = Pkce.create();
        String authorize = authorizeUrl(client, REDIRECT, ACME, "backlog:read backlog:write comments:read", pkce, "S256", "xyz-state");
        HttpResponse<String> first = browser.get(authorize);
        assertEquals(302, first.statusCode());
        String loginUrl = first.headers().firstValue("Location").orElseThrow();
        assertTrue(loginUrl.startsWith("/login?return_to="), loginUrl);
        String returnTo = query("http://x" + loginUrl).get("return_to");
        String back = browser.login(DemoFixture.ACME_MEMBER.email(), DemoFixture.ACME_MEMBER.password(), returnTo);
        assertEquals(returnTo, back);
        String session = browser.cookie("bmcp_session");
        assertNotNull(session);
        HttpResponse<String> consent = browser.get(back);
        assertEquals(200, consent.statusCode(), consent.body());
        assertEquals("DENY", consent.headers().firstValue("X-Frame-Options").orElse(null));
        assertTrue(consent.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        String html = consent.body();
        assertTrue(html.contains("Acme Web App"));
        assertTrue(html.contains(client));
        assertTrue(html.contains("http://127.0.0.1:47123"));
        for (String s : List.of("backlog:read", "backlog:write", "comments:read")) {
            assertTrue(html.contains("data-scope-description=\"" + s + "\""), s);
            assertTrue(html.contains(Scope.fromValue(s).orElseThrow().description()), s);
        }
        assertTrue(html.contains("id=\"approve\""));
        // approve through the real form, CSRF token included
        HttpResponse<String> decision = approve(browser, html, List.of());
        assertEquals(302, decision.statusCode(), decision.body());
        Map<String, String> cb = query(decision.headers().firstValue("Location").orElseThrow());
        assertTrue(decision.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?"));
        assertEquals("xyz-state", cb.get("state"));
        assertEquals("http://auth.test", cb.get("iss"));
        // token
        HttpResponse<String> tok = token("grant_type=authorization_code&code=" + q(cb.get("code")) + "&redirect_uri=" + q(REDIRECT)
                + "&code_verifier=" + q(pkce.verifier()) + "&client_id=" + q(client) + "&resource=" + q(ACME));
        assertEquals(200, tok.statusCode(), tok.body());
        JSONObject tokens = JSONObjectUtils.parse(tok.body());
        SignedJWT at = SignedJWT.parse((String) tokens.get("access_token"));
        assertEquals("backlog:read backlog:write comments:read", at.getJWTClaimsSet().getStringClaim("scope"));
        assertEquals(List.of(ACME), at.getJWTClaimsSet().getAudience());
        assertEquals(DemoFixture.ACME_MEMBER.id(), at.getJWTClaimsSet().getSubject());
        String gid = at.getJWTClaimsSet().getStringClaim("gid");
        // refresh (rotation)
        String refresh1 = (String) tokens.get("refresh_token");
        HttpResponse<String> r2 = token("grant_type=refresh_token&refresh_token=" + q(refresh1) + "&client_id=" + q(client));
        assertEquals(200, r2.statusCode(), r2.body());
        String refresh2 = (String) JSONObjectUtils.parse(r2.body()).get("refresh_token");
        assertFalse(refresh1.equals(refresh2));
        // reuse of the rotated token revokes the whole grant
        HttpResponse<String> reuse = token("grant_type=refresh_token&refresh_token=" + q(refresh1) + "&client_id=" + q(client));
        assertEquals(400, reuse.statusCode());
        assertEquals("invalid_grant", JSONObjectUtils.parse(reuse.body()).get("error"));
        HttpResponse<String> after = token("grant_type=refresh_token&refresh_token=" + q(refresh2) + "&client_id=" + q(client));
        assertEquals("invalid_grant", JSONObjectUtils.parse(after.body()).get("error"), "grant revoked: newest token dead too");
        assertTrue(grantEvents(gid).contains("grant.revoked:refresh_reuse"), grantEvents(gid).toString());
        assertTrue(grantEvents(gid).contains("grant.created:null"));

        // a second authorization, then RFC 7009 revocation of its refresh token
        Pkce pkce2 = Pkce.create();
        HttpResponse<String> consent2 = browser.get(authorizeUrl(client, REDIRECT, ACME, "backlog:read", pkce2, "S256", "s2"));
        String code2 = query(approve(browser, consent2.body(), List.of()).headers().firstValue("Location").orElseThrow()).get("code");
        JSONObject t2 = JSONObjectUtils.parse(token("grant_type=authorization_code&code=" + q(code2) + "&redirect_uri=" + q(REDIRECT)
                + "&code_verifier=" + q(pkce2.verifier()) + "&client_id=" + q(client)).body());
        HttpResponse<String> revoke = new com.backlogmcp.auth.OAuthClientSupport(base).postForm("/oauth/revoke",
                "token=" + q((String) t2.get("refresh_token")) + "&token_type_hint=refresh_token&client_id=" + q(client));
        assertEquals(200, revoke.statusCode(), revoke.body());
        HttpResponse<String> dead = token("grant_type=refresh_token&refresh_token=" + q((String) t2.get("refresh_token")) + "&client_id=" + q(client));
        assertEquals("invalid_grant", JSONObjectUtils.parse(dead.body()).get("error"));
        String gid2 = SignedJWT.parse((String) t2.get("access_token")).getJWTClaimsSet().getStringClaim("gid");
        assertTrue(grantEvents(gid2).contains("grant.revoked:user"), grantEvents(gid2).toString());
    }

    static List<String> grantEvents(String grantId) {
        // created + revoked: both are expected on the topic once the relay has run
        return com.backlogmcp.auth.GrantEventsReader.awaitEventsFor(grantId, 2);
    }

    // ---- negative cases ----------------------------------------------------------------------------------------

    @Test
    void authorizeWhenPkcePlainThenErrorRedirectedToClient() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        HttpResponse<String> r = b.get(authorizeUrl(clientId, REDIRECT, ACME, "backlog:read", Pkce.create(), "plain", "s1"));
        assertEquals(302, r.statusCode());
        Map<String, String> p = query(r.headers().firstValue("Location").orElseThrow());
        assertEquals("invalid_request", p.get("error"));
        assertEquals("s1", p.get("state"));
        assertEquals("http://auth.test", p.get("iss"));
    }

    @Test
    void authorizeWhenCodeChallengeMissingThenErrorRedirectedToClient() throws Exception {
        HttpResponse<String> r = new Browser(base).get(authorizeUrl(clientId, REDIRECT, ACME, "backlog:read", null, null, "s2"));
        assertEquals(302, r.statusCode());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT), location);
        assertEquals("invalid_request", query(location).get("error"));
        assertEquals("s2", query(location).get("state"));
    }

    @Test
    void authorizeWhenRedirectUriDoesNotMatchThenErrorPageAndNoRedirect() throws Exception {
        HttpResponse<String> r = new Browser(base).get(authorizeUrl(clientId, "http://127.0.0.1:47123/callback/evil", ACME, "backlog:read", Pkce.create(), "S256", "s3"));
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("Location").isEmpty());
        assertTrue(r.body().contains("Invalid redirect URI"));
    }

    @Test
    void authorizeWhenClientUnknownThenErrorPageAndNoRedirect() throws Exception {
        HttpResponse<String> r = new Browser(base).get(authorizeUrl("cli_unknown", REDIRECT, ACME, "backlog:read", Pkce.create(), "S256", "s"));
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("Location").isEmpty());
    }

    @Test
    void authorizeWhenResourceIsNotAnMcpEndpointThenInvalidTarget() throws Exception {
        for (String resource : List.of("http://mcp.test/p/prj_acme", "https://evil.example/p/prj_acme/mcp", "http://mcp.test/p/prj_nope/mcp")) {
            HttpResponse<String> r = new Browser(base).get(authorizeUrl(clientId, REDIRECT, resource, "backlog:read", Pkce.create(), "S256", "s4"));
            assertEquals(302, r.statusCode(), resource);
            assertEquals("invalid_target", query(r.headers().firstValue("Location").orElseThrow()).get("error"), resource);
        }
    }

    @Test
    void authorizeWhenResourceMissingThenInvalidRequest() throws Exception {
        HttpResponse<String> r = new Browser(base).get(authorizeUrl(clientId, REDIRECT, null, "backlog:read", Pkce.create(), "S256", "s"));
        assertEquals("invalid_request", query(r.headers().firstValue("Location").orElseThrow()).get("error"));
    }

    @Test
    void tokenWhenCodeExpiredThenInvalidGrant() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        Pkce pkce = Pkce.create();
        String code = codeFor(b, ACME, "backlog:read", pkce);
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> r = token("grant_type=authorization_code&code=" + q(code) + "&redirect_uri=" + q(REDIRECT)
                + "&code_verifier=" + q(pkce.verifier()) + "&client_id=" + q(clientId));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_grant", JSONObjectUtils.parse(r.body()).get("error"));
    }

    @Test
    void consentWhenFreePlanThenWriteScopesDisabledAndNotGrantedEvenIfPosted() throws Exception {
        Browser b = loggedIn(DemoFixture.HOBBY_OWNER);
        String hobby = "http://mcp.test/p/prj_hobby/mcp";
        Pkce pkce = Pkce.create();
        HttpResponse<String> consent = b.get(authorizeUrl(clientId, REDIRECT, hobby, "backlog:read backlog:write", pkce, "S256", "s5"));
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().matches("(?s).*<input type=\"checkbox\" name=\"scope\" value=\"backlog:write\"[^>]*disabled.*"), consent.body());
        assertTrue(consent.body().contains("Free plan allows read access only"));
        // a tampered form that ticks the disabled write scope still gets read only
        HttpResponse<String> r = approve(b, consent.body(), List.of("backlog:write"));
        String code = query(r.headers().firstValue("Location").orElseThrow()).get("code");
        JSONObject t = JSONObjectUtils.parse(token("grant_type=authorization_code&code=" + q(code) + "&redirect_uri=" + q(REDIRECT)
                + "&code_verifier=" + q(pkce.verifier()) + "&client_id=" + q(clientId)).body());
        assertEquals("backlog:read", t.get("scope"));
    }

    @Test
    void consentWhenRoleTooLowThenScopeDisabledWithReason() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_VIEWER);
        HttpResponse<String> consent = b.get(authorizeUrl(clientId, REDIRECT, ACME, "backlog:read members:write", Pkce.create(), "S256", "s"));
        assertEquals(200, consent.statusCode());
        assertTrue(consent.body().contains("Needs the admin role; you are a viewer."), consent.body());
    }

    @Test
    void consentPostWhenCsrfTokenMissingThen403AndNoCode() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        HttpResponse<String> consent = b.get(authorizeUrl(clientId, REDIRECT, ACME, "backlog:read", Pkce.create(), "S256", "s6"));
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(consent.body()).forEach((k, v) -> {
            if (!k.equals("csrf_token")) {
                form.add(new String[]{k, v});
            }
        });
        form.add(new String[]{"scope", "backlog:read"});
        form.add(new String[]{"decision", "approve"});
        HttpResponse<String> r = b.post("/oauth/authorize", form);
        assertEquals(403, r.statusCode());
        assertTrue(r.headers().firstValue("Location").isEmpty());
    }

    @Test
    void authorizeWhenUserNotAMemberThenRefusalPage() throws Exception {
        assertRefused(DemoFixture.ACME_OUTSIDER, ACME, "not a member");
    }

    @Test
    void authorizeWhenMcpAddOnOffThenRefusalPage() throws Exception {
        assertRefused(DemoFixture.LEGACY_OWNER, "http://mcp.test/p/prj_legacy/mcp", "MCP add-on is switched off");
    }

    @Test
    void authorizeWhenWorkspaceSuspendedThenRefusalPage() throws Exception {
        assertRefused(DemoFixture.ACME_OWNER, "http://mcp.test/p/prj_frozen/mcp", "suspended");
    }

    void assertRefused(DemoFixture.DemoUser user, String resource, String text) throws Exception {
        Browser b = loggedIn(user);
        HttpResponse<String> r = b.get(authorizeUrl(clientId, REDIRECT, resource, "backlog:read", Pkce.create(), "S256", "s"));
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains(text), r.body());
        assertFalse(r.body().contains("id=\"approve\""));
    }

    @Test
    void authorizeWhenClientIdIsMetadataUrlOnPrivateAddressThenRefusedWithoutFetch() throws Exception {
        for (String cimd : List.of("https://127.0.0.1:9/client.json", "https://localhost/client.json", "https://10.0.0.8/oauth/client")) {
            HttpResponse<String> r = new Browser(base).get(authorizeUrl(cimd, "http://127.0.0.1:1/cb", ACME, "backlog:read", Pkce.create(), "S256", "s"));
            assertEquals(400, r.statusCode(), cimd);
            assertTrue(r.headers().firstValue("Location").isEmpty());
            assertTrue(r.body().contains("private or loopback address"), r.body());
        }
    }

    @Test
    void loginWhenPasswordWrongThen401AndAfterFiveFailuresThrottled() throws Exception {
        // its own account, so the lock does not leak into other tests sharing this database
        User target = new User("usr_throttle", "throttle@test.example", "Throttle Target", false);
        users.insertIfAbsent(target, passwords.hash("right-password"));
        Browser b = new Browser(base);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, attemptLogin(b, target.email(), "wrong-" + i).statusCode());
        }
        assertEquals(429, attemptLogin(b, target.email(), "right-password").statusCode(), "even the right password waits out the lock");
        clock.advance(Duration.ofMinutes(16));
        assertEquals(303, attemptLogin(b, target.email(), "right-password").statusCode(), "the window slides");
    }

    @Test
    void loginWhenOneAddressGuessedWrongFiveTimesThenOnlyThatAddressWaitsAndTheOwnerSignsInElsewhere() {
        User target = new User("usr_throttle_pair", "pair-throttle@test.example", "Pair Target", false);
        users.insertIfAbsent(target, passwords.hash("right-password"));
        String attacker = "198.51.100.1";
        String owner = "198.51.100.2";
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Authentication.Failure.class, authentication.login(target.email(), "wrong-" + i, attacker));
        }
        assertInstanceOf(Authentication.Throttled.class, authentication.login(target.email(), "right-password", attacker));
        assertInstanceOf(Authentication.Success.class, authentication.login(target.email(), "right-password", owner),
                "another address's failures never lock out the right password");
        assertInstanceOf(Authentication.Throttled.class, authentication.login(target.email(), "wrong-again", attacker),
                "the owner's success does not reset the attacker's count");
    }

    @Test
    void loginWhenOneAddressFailsTwentyTimesAcrossAccountsThenThatAddressWaitsAndOthersDoNot() {
        String sprayer = "198.51.100.20";
        for (int i = 0; i < 20; i++) {
            assertInstanceOf(Authentication.Failure.class, authentication.login("spray-" + i + "@test.example", "guess", sprayer));
        }
        assertInstanceOf(Authentication.Throttled.class,
                authentication.login(DemoFixture.ACME_MEMBER.email(), DemoFixture.ACME_MEMBER.password(), sprayer));
        assertInstanceOf(Authentication.Success.class,
                authentication.login(DemoFixture.ACME_MEMBER.email(), DemoFixture.ACME_MEMBER.password(), "198.51.100.21"));
    }

    HttpResponse<String> attemptLogin(Browser b, String email, String password) throws Exception {
        HttpResponse<String> page = b.get("/login");
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(page.body()).forEach((k, v) -> form.add(new String[]{k, v}));
        form.add(new String[]{"email", email});
        form.add(new String[]{"password", password});
        return b.post("/login", form);
    }

    @Test
    void loginWhenCookieIssuedThenHttpOnlySecureSameSite() throws Exception {
        Browser b = new Browser(base);
        HttpResponse<String> page = b.get("/login");
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(page.body()).forEach((k, v) -> form.add(new String[]{k, v}));
        form.add(new String[]{"email", DemoFixture.ACME_ADMIN.email()});
        form.add(new String[]{"password", DemoFixture.ACME_ADMIN.password()});
        HttpResponse<String> r = b.post("/login", form);
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("bmcp_session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("Secure"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
    }
}
