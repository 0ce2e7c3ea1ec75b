package com.backlogmcp.auth.authorize;

import com.backlogmcp.auth.Browser;
import com.backlogmcp.auth.FakeBacklog;
import com.backlogmcp.auth.OAuthClientSupport;
import com.backlogmcp.auth.OAuthClientSupport.Pkce;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.support.JdbcStatements;
import com.backlogmcp.contracts.demo.DemoFixture;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workspace endpoint as an RFC 8707 resource, and the endpoint choice for clients that send no resource: consent
 * shows the workspace and which of its projects the user can reach, and the grant and its tokens are bound to the
 * endpoint approved. backlog-service is {@link FakeBacklog}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceConsentTest implements TestPropertyProvider {

    static final String REDIRECT = "http://127.0.0.1:47123/callback";
    static final String ACME_WORKSPACE = "http://mcp.test/w/ws_acme/mcp";

    FakeBacklog backlog;
    @Inject
    EmbeddedServer server;
    @Inject
    JdbcStatements db;
    String base;
    String clientId;

    @Override
    public Map<String, String> getProperties() {
        try {
            backlog = new FakeBacklog();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // ws_acme holds three projects; the member belongs to two of them.
        backlog.projects.put("prj_acme_api", new FakeBacklog.Project("prj_acme_api", "Acme API", "ws_acme"));
        backlog.projects.put("prj_acme_ops", new FakeBacklog.Project("prj_acme_ops", "Acme Ops", "ws_acme"));
        backlog.members.computeIfAbsent("prj_acme_api", k -> new ConcurrentHashMap<>()).put(DemoFixture.ACME_MEMBER.id(), "viewer");
        backlog.members.computeIfAbsent("prj_acme_ops", k -> new ConcurrentHashMap<>()).put(DemoFixture.ACME_OWNER.id(), "owner");
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("micronaut.http.services.backlog.url", backlog.url());
        p.put("micronaut.http.services.audit.url", backlog.url());
        p.put("backlogmcp.auth.seed-demo-data", "true");
        return p;
    }

    @BeforeAll
    void registerClient() throws Exception {
        base = server.getURL().toString();
        HttpResponse<String> r = new Browser(base).postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Workspace agent\"}");
        assertEquals(201, r.statusCode(), r.body());
        clientId = (String) JSONObjectUtils.parse(r.body()).get("client_id");
    }

    @AfterAll
    void stop() {
        backlog.close();
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    String authorizeUrl(String resource, Pkce pkce) {
        return "/oauth/authorize?response_type=code&client_id=" + q(clientId) + "&redirect_uri=" + q(REDIRECT) + "&state=st"
                + "&scope=" + q("backlog:read comments:read") + "&code_challenge=" + q(pkce.challenge()) + "&code_challenge_method=S256"
                + (resource == null ? "" : "&resource=" + q(resource));
    }

    Browser loggedIn(DemoFixture.DemoUser user) throws Exception {
        Browser b = new Browser(base);
        b.login(user.email(), user.password(), null);
        return b;
    }

    static Map<String, String> query(String location) {
        Map<String, String> out = new HashMap<>();
        URLUtils.parseParameters(URI.create(location).getRawQuery()).forEach((k, v) -> out.put(k, v.get(0)));
        return out;
    }

    HttpResponse<String> approve(Browser b, String consentHtml) throws Exception {
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(consentHtml).forEach((k, v) -> form.add(new String[]{k, v}));
        var m = java.util.regex.Pattern.compile("<input type=\"checkbox\" name=\"scope\" value=\"([^\"]+)\"[^>]*>").matcher(consentHtml);
        while (m.find()) {
            if (m.group(0).contains("checked") && !m.group(0).contains("disabled")) {
                form.add(new String[]{"scope", m.group(1)});
            }
        }
        form.add(new String[]{"decision", "approve"});
        return b.post("/oauth/authorize", form);
    }

    JSONObject tokens(String code, Pkce pkce) throws Exception {
        HttpResponse<String> tok = new OAuthClientSupport(base).postForm("/oauth/token", "grant_type=authorization_code&code=" + q(code)
                + "&redirect_uri=" + q(REDIRECT) + "&code_verifier=" + q(pkce.verifier()) + "&client_id=" + q(clientId));
        assertEquals(200, tok.statusCode(), tok.body());
        return JSONObjectUtils.parse(tok.body());
    }

    @Test
    void workspaceResourceWhenApprovedThenConsentListsReachableProjectsAndTokensAreBoundToTheWorkspace() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        Pkce pkce = Pkce.create();
        HttpResponse<String> consent = b.get(authorizeUrl(ACME_WORKSPACE, pkce));
        assertEquals(200, consent.statusCode(), consent.body());
        String html = consent.body();
        assertTrue(html.contains("whole workspace"), html);
        assertTrue(html.contains("data-project-id=\"prj_acme\"") && html.contains("data-project-id=\"prj_acme_api\""), html);
        assertFalse(html.contains("prj_acme_ops"), "a project the user is not a member of is not shown");
        HttpResponse<String> decision = approve(b, html);
        assertEquals(302, decision.statusCode(), decision.body());
        Pkce used = pkce;
        JSONObject t = tokens(query(decision.headers().firstValue("Location").orElseThrow()).get("code"), used);
        SignedJWT at = SignedJWT.parse((String) t.get("access_token"));
        assertEquals(List.of(ACME_WORKSPACE), at.getJWTClaimsSet().getAudience());
        String gid = at.getJWTClaimsSet().getStringClaim("gid");
        assertEquals("null ws_acme " + ACME_WORKSPACE, grantRow(gid));
        HttpResponse<String> refreshed = new OAuthClientSupport(base).postForm("/oauth/token", "grant_type=refresh_token&refresh_token="
                + q((String) t.get("refresh_token")) + "&client_id=" + q(clientId));
        assertEquals(List.of(ACME_WORKSPACE), SignedJWT.parse((String) JSONObjectUtils.parse(refreshed.body()).get("access_token"))
                .getJWTClaimsSet().getAudience());
    }

    @Test
    void workspaceResourceWhenUnknownOrUserNotInItThenRefused() throws Exception {
        HttpResponse<String> unknown = new Browser(base).get(authorizeUrl("http://mcp.test/w/ws_nope/mcp", Pkce.create()));
        assertEquals("invalid_target", query(unknown.headers().firstValue("Location").orElseThrow()).get("error"));
        HttpResponse<String> foreign = loggedIn(DemoFixture.ACME_MEMBER).get(authorizeUrl("http://mcp.test/w/ws_hobby/mcp", Pkce.create()));
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.body().contains("not a member"), foreign.body());
    }

    @Test
    void noResourceWhenSignedInThenChoiceOfOwnEndpointsAndTheGrantBoundToTheChosenOne() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        Pkce pkce = Pkce.create();
        HttpResponse<String> chooser = b.get(authorizeUrl(null, pkce));
        assertEquals(200, chooser.statusCode(), chooser.body());
        String html = chooser.body();
        assertTrue(html.contains("data-endpoint=\"http://mcp.test/p/prj_acme/mcp\""), html);
        assertTrue(html.contains("data-endpoint=\"http://mcp.test/p/prj_acme_api/mcp\""), html);
        assertTrue(html.contains("data-endpoint=\"" + ACME_WORKSPACE + "\""), html);
        assertFalse(html.contains("prj_acme_ops") || html.contains("ws_hobby"), "only what the user belongs to");
        // Choosing is the same request with the chosen resource: consent, approval, tokens bound to it.
        Map<String, String> hidden = Browser.hiddenFields(html);
        StringBuilder next = new StringBuilder("/oauth/authorize?");
        hidden.forEach((k, v) -> next.append(q(k)).append('=').append(q(v)).append('&'));
        next.append("resource=").append(q(ACME_WORKSPACE));
        HttpResponse<String> consent = b.get(next.toString());
        assertEquals(200, consent.statusCode(), consent.body());
        HttpResponse<String> decision = approve(b, consent.body());
        JSONObject t = tokens(query(decision.headers().firstValue("Location").orElseThrow()).get("code"), pkce);
        assertEquals(List.of(ACME_WORKSPACE), SignedJWT.parse((String) t.get("access_token")).getJWTClaimsSet().getAudience());
    }

    @Test
    void noResourceWhenApprovedWithoutChoosingThenNoCode() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        Pkce pkce = Pkce.create();
        String html = b.get(authorizeUrl(null, pkce)).body();
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(html).forEach((k, v) -> form.add(new String[]{k, v}));
        form.add(new String[]{"csrf_token", Browser.hiddenFields(b.get("/account/connect").body()).get("csrf_token")});
        form.add(new String[]{"scope", "backlog:read"});
        form.add(new String[]{"decision", "approve"});
        HttpResponse<String> r = b.post("/oauth/authorize", form);
        assertEquals(400, r.statusCode(), r.body());
        assertNull(r.headers().firstValue("Location").orElse(null));
    }

    private String grantRow(String gid) {
        return db.prepareStatement("select project_id, workspace_id, resource from grants where id = ?", ps -> {
            ps.setString(1, gid);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3);
            }
        });
    }
}
