package com.backlogmcp.auth.account;

import com.backlogmcp.auth.Browser;
import com.backlogmcp.auth.FakeBacklog;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantStore;
import com.backlogmcp.auth.token.AccessTokens;
import com.backlogmcp.contracts.demo.DemoFixture;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connected apps, API keys, introspection, connect and admin pages over real HTTP; neighbours are {@link FakeBacklog}. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountPagesTest implements TestPropertyProvider {

    FakeBacklog backlog;
    @Inject
    EmbeddedServer server;
    @Inject
    GrantStore grants;
    @Inject
    AccessTokens accessTokens;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        try {
            backlog = new FakeBacklog();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("micronaut.http.services.backlog.url", backlog.url());
        p.put("micronaut.http.services.audit.url", backlog.url());
        p.put("backlogmcp.auth.seed-demo-data", "true");
        return p;
    }

    @BeforeAll
    void start() {
        base = server.getURL().toString();
    }

    @AfterEach
    void auditUp() {
        backlog.auditDown = false;
    }

    @AfterAll
    void stop() {
        backlog.close();
    }

    Browser loggedIn(DemoFixture.DemoUser u) throws Exception {
        Browser b = new Browser(base);
        b.login(u.email(), u.password(), null);
        return b;
    }

    String csrf(Browser b) throws Exception {
        return Browser.hiddenFields(b.get("/account/connect").body()).get("csrf_token");
    }

    HttpResponse<String> send(Browser b, String method, String path, String json, String csrf) throws Exception {
        // the Browser keeps cookies; JSON calls reuse them through a raw request with the cookie header copied
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(20)).header("Cookie", "bmcp_session=" + b.cookie("bmcp_session"))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (csrf != null) {
            r.header("X-CSRF-Token", csrf);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> introspect(String token, String serviceCredential) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/oauth/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)));
        if (serviceCredential != null) {
            r.header("Authorization", "Bearer " + serviceCredential);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String mcpCredential() {
        return new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.AUTH);
    }

    Grant grantFor(DemoFixture.DemoUser u) {
        return grants.create(u.id(), "cli_listed", "prj_acme", "ws_acme", "http://mcp.test/p/prj_acme/mcp", "backlog:read comments:read", "cursor://anysphere.cursor-retrieval/oauth/callback");
    }

    @Test
    void connectedAppsWhenGrantExistsThenListedWithLastUsedAndRevocableViaJsonApi() throws Exception {
        Grant g = grantFor(DemoFixture.ACME_ADMIN);
        backlog.lastUsed.put(g.id(), "2026-01-02T03:04:05Z");
        Browser b = loggedIn(DemoFixture.ACME_ADMIN);
        HttpResponse<String> page = b.get("/account/apps");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-grant-id=\"" + g.id() + "\""), page.body());
        assertTrue(page.body().contains("Acme Web App"));
        assertTrue(page.body().contains("cursor://anysphere.cursor-retrieval"));
        assertTrue(page.body().contains("2026-01-02 03:04 UTC"));

        JSONObject listing = JSONObjectUtils.parse(send(b, "GET", "/account/apps/api", null, null).body());
        assertEquals(true, listing.get("usageAvailable"));
        JSONArray apps = (JSONArray) listing.get("apps");
        assertTrue(apps.toJSONString().contains(g.id()));

        assertEquals(403, send(b, "DELETE", "/account/apps/api/" + g.id(), null, null).statusCode(), "no CSRF header");
        assertEquals(200, send(b, "DELETE", "/account/apps/api/" + g.id(), null, csrf(b)).statusCode());
        assertFalse(grants.find(g.id()).orElseThrow().active());
        assertEquals(List.of("grant.revoked:user"), com.backlogmcp.auth.GrantEventsReader.awaitEventsFor(g.id(), 1));
        assertFalse(b.get("/account/apps").body().contains(g.id()));
    }

    @Test
    void connectedAppsWhenAuditDownThenPageStillRendersWithUnknownLastUsed() throws Exception {
        Grant g = grantFor(DemoFixture.ACME_MEMBER);
        backlog.auditDown = true;
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        HttpResponse<String> page = b.get("/account/apps");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(g.id()));
        assertTrue(page.body().contains("unknown"));
        assertEquals(false, JSONObjectUtils.parse(send(b, "GET", "/account/apps/api", null, null).body()).get("usageAvailable"));
    }

    @Test
    void connectedAppsWhenRevokingAnotherUsersGrantThen404() throws Exception {
        Grant g = grantFor(DemoFixture.ACME_OWNER);
        Browser b = loggedIn(DemoFixture.ACME_VIEWER);
        assertEquals(404, send(b, "DELETE", "/account/apps/api/" + g.id(), null, csrf(b)).statusCode());
        assertTrue(grants.find(g.id()).orElseThrow().active());
    }

    @Test
    void apiKeyWhenCreatedThenSecretShownOnceStoredHashedAndIntrospectable() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        HttpResponse<String> created = send(b, "POST", "/account/api-keys/api",
                "{\"name\":\"ci bot\",\"projectId\":\"prj_acme\",\"scopes\":[\"backlog:read\",\"comments:read\"]}", csrf(b));
        assertEquals(201, created.statusCode(), created.body());
        JSONObject body = JSONObjectUtils.parse(created.body());
        String secret = (String) body.get("secret");
        String keyId = (String) ((JSONObject) body.get("key")).get("id");
        assertTrue(secret.startsWith("bmcp_"));
        String list = send(b, "GET", "/account/api-keys/api", null, null).body();
        assertTrue(list.contains(keyId));
        assertFalse(list.contains(secret), "the secret is never listed");

        JSONObject active = JSONObjectUtils.parse(introspect(secret, mcpCredential()).body());
        assertEquals(true, active.get("active"));
        assertEquals("api_key", active.get("token_type"));
        assertEquals(keyId, active.get("key_id"));
        assertEquals(DemoFixture.ACME_MEMBER.id(), active.get("sub"));
        assertEquals("backlog:read comments:read", active.get("scope"));
        assertEquals("prj_acme", active.get("project_id"));

        assertEquals(200, send(b, "DELETE", "/account/api-keys/api/" + keyId, null, csrf(b)).statusCode());
        assertEquals(false, JSONObjectUtils.parse(introspect(secret, mcpCredential()).body()).get("active"));
        assertEquals(List.of("key.created:null", "key.revoked:user"), com.backlogmcp.auth.GrantEventsReader.awaitEventsFor(keyId, 2));
    }

    @Test
    void apiKeyWhenWorkspaceBoundThenIntrospectionNamesWorkspace() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_OWNER);
        HttpResponse<String> created = send(b, "POST", "/account/api-keys/api",
                "{\"name\":\"ws key\",\"workspaceId\":\"ws_acme\",\"scopes\":[\"backlog:read\"]}", csrf(b));
        assertEquals(201, created.statusCode(), created.body());
        JSONObject active = JSONObjectUtils.parse(introspect((String) JSONObjectUtils.parse(created.body()).get("secret"), mcpCredential()).body());
        assertEquals("ws_acme", active.get("workspace_id"));
        assertNull(active.get("project_id"));
    }

    @Test
    void apiKeyWhenProjectNotTheUsersThen400() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_OUTSIDER);
        HttpResponse<String> r = send(b, "POST", "/account/api-keys/api",
                "{\"name\":\"sneaky\",\"projectId\":\"prj_acme\",\"scopes\":[\"backlog:read\"]}", csrf(b));
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void apiKeyWhenBodyMalformedThen400JsonNot500() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_OUTSIDER);
        HttpResponse<String> r = send(b, "POST", "/account/api-keys/api", "{\"name\":", csrf(b));
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void apiKeyWhenUnknownFieldThen400() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_MEMBER);
        HttpResponse<String> r = send(b, "POST", "/account/api-keys/api",
                "{\"name\":\"x\",\"projectId\":\"prj_acme\",\"scopes\":[\"backlog:read\"],\"admin\":true}", csrf(b));
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void apiKeyWhenNoSessionThen401() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/account/api-keys/api")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
    }

    @Test
    void introspectWhenNoServiceCredentialThen401() throws Exception {
        assertEquals(401, introspect("bmcp_whatever", null).statusCode());
        String agentToken = accessTokens.mint(grantFor(DemoFixture.ACME_MEMBER), "backlog:read");
        assertEquals(401, introspect("bmcp_whatever", agentToken).statusCode(), "an agent's token is not a service credential");
    }

    @Test
    void introspectWhenAccessTokenGrantRevokedThenInactive() throws Exception {
        Grant g = grantFor(DemoFixture.ACME_MEMBER);
        String token = accessTokens.mint(g, "backlog:read");
        JSONObject active = JSONObjectUtils.parse(introspect(token, mcpCredential()).body());
        assertEquals(true, active.get("active"));
        assertEquals(g.id(), active.get("gid"));
        grants.revoke(g.id(), "user");
        assertEquals(false, JSONObjectUtils.parse(introspect(token, mcpCredential()).body()).get("active"));
    }

    @Test
    void connectPageWhenLoggedInThenShowsMcpUrlAndSnippets() throws Exception {
        HttpResponse<String> page = loggedIn(DemoFixture.HOBBY_OWNER).get("/account/connect");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("http://mcp.test/p/prj_hobby/mcp"));
        assertTrue(page.body().contains("claude mcp add --transport http"));
        assertTrue(page.body().contains("mcpServers"));
    }

    @Test
    void accountPageWhenAnonymousThenRedirectedToLogin() throws Exception {
        HttpResponse<String> r = new Browser(base).get("/account/apps");
        assertEquals(303, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").startsWith("/login?return_to="));
    }

    static List<Long> days(long... lastDays) {
        List<Long> out = new ArrayList<>(java.util.Collections.nCopies(14 - lastDays.length, 0L));
        for (long d : lastDays) {
            out.add(d);
        }
        return out;
    }

    @Test
    void appsPageWhenUsageKnownThenQuotaMeterChartsAndAccessSummary() throws Exception {
        Grant g = grants.create(DemoFixture.HOBBY_OWNER.id(), "cli_usage", "prj_hobby", "ws_hobby", "http://mcp.test/p/prj_hobby/mcp",
                "backlog:read comments:read", "http://127.0.0.1:5000/cb");
        backlog.series.put("prj_hobby", days(3, 0, 11));
        backlog.quotaToday.put("prj_hobby", 12L);
        backlog.series.put(g.id(), days(2, 4));
        String page = loggedIn(DemoFixture.HOBBY_OWNER).get("/account/apps").body();
        assertTrue(page.contains("12 of 25 calls today"), "the exact quota counter against the Free plan's limit");
        assertTrue(page.contains("aria-valuenow=\"12\"") && page.contains("width:48%"), page);
        assertTrue(page.contains("4 today"), "the app's calls today");
        // Other test classes in this JVM may connect apps for the same user: find this project's and this app's chart.
        assertEquals(1, page.split("<title>Calls to Hobby Side Project, last 14 days").length - 1, "one chart for the project");
        assertTrue(page.contains("last 14 days: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4</title>"), "the app's own chart");
        assertTrue(page.contains("Calls to Hobby Side Project, last 14 days: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 11"), page);
        assertTrue(page.contains("2 of 14 permissions, read only"));
        assertTrue(page.contains("Read public comments on items"), "details on demand list each permission");
        assertFalse(page.contains("<code>backlog:write</code>"));
    }

    @Test
    void appsPageWhenAuditDownThenUsageUnknownNotAnError() throws Exception {
        // another user than the test above, so each page shows only its own test's apps whatever the order
        grants.create(DemoFixture.LEGACY_OWNER.id(), "cli_usage2", "prj_legacy", "ws_legacy", "http://mcp.test/p/prj_legacy/mcp",
                String.join(" ", com.backlogmcp.contracts.vocabulary.Scope.allValues()), "http://127.0.0.1:5000/cb");
        backlog.auditDown = true;
        HttpResponse<String> page = loggedIn(DemoFixture.LEGACY_OWNER).get("/account/apps");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Usage figures are unavailable right now."));
        assertTrue(page.body().contains("Full access"));
        assertFalse(page.body().contains("<svg"));
    }

    @Test
    void apiKeysPageWhenKeyUsedThenLastUsedAndAccessShown() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_VIEWER);
        HttpResponse<String> created = send(b, "POST", "/account/api-keys/api",
                "{\"name\":\"reader\",\"projectId\":\"prj_acme\",\"scopes\":[\"backlog:read\"]}", csrf(b));
        assertEquals(201, created.statusCode(), created.body());
        String keyId = (String) ((JSONObject) JSONObjectUtils.parse(created.body()).get("key")).get("id");
        assertTrue(b.get("/account/api-keys").body().contains("never"));
        backlog.lastUsed.put(keyId, "2026-02-03T04:05:06Z");
        String page = b.get("/account/api-keys").body();
        assertTrue(page.contains("2026-02-03 04:05 UTC"), page);
        assertTrue(page.contains("1 of 14 permissions, read only"));
    }

    @Test
    void adminPageWhenUsageKnownThenEachWorkspaceShowsTodayAndFourteenDays() throws Exception {
        backlog.series.put("ws_acme", days(5, 7));
        String page = loggedIn(DemoFixture.PLATFORM_ADMIN).get("/admin").body();
        assertTrue(page.contains("7 today · 12 in 14 days"), page);
        assertTrue(page.contains("href=\"/admin/audit\""));
    }

    @Test
    void adminAuditWhenFilteredThenEveryFilterReachesAuditAndArgumentsShowOnlyAsHash() throws Exception {
        String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        backlog.auditLogPage = "{\"entries\":[{\"eventId\":\"e1\",\"at\":\"2026-11-01T10:00:00Z\",\"projectId\":\"prj_acme\","
                + "\"workspaceId\":\"ws_acme\",\"userId\":\"usr_acme_owner\",\"clientId\":\"cli_y\",\"tool\":\"list_items\","
                + "\"argsHash\":\"" + hash + "\",\"outcome\":\"denied\",\"errorType\":\"QUOTA_EXCEEDED\",\"latencyMs\":12}],"
                + "\"nextCursor\":\"abc_123\"}";
        backlog.auditLogQueries.clear();
        HttpResponse<String> r = loggedIn(DemoFixture.PLATFORM_ADMIN).get("/admin/audit?project=prj_acme&user=usr_acme_owner&client=cli_y"
                + "&tool=list_items&outcome=denied&from=2026-11-01T00:00&to=2026-11-02T00:00");
        assertEquals(200, r.statusCode(), r.body());
        String asked = java.net.URLDecoder.decode(backlog.auditLogQueries.getLast(), java.nio.charset.StandardCharsets.UTF_8);
        for (String part : List.of("projectId=prj_acme", "userId=usr_acme_owner", "clientId=cli_y", "tool=list_items", "outcome=denied",
                "from=2026-11-01T00:00:00Z", "to=2026-11-02T00:00:00Z", "limit=50")) {
            assertTrue(asked.contains(part), asked);
        }
        assertTrue(r.body().contains("9f86d081884c…"));
        assertTrue(r.body().contains("QUOTA_EXCEEDED"));
        assertTrue(r.body().contains("id=\"next-page\""));
        assertTrue(r.body().contains("cursor=abc_123"));
        assertTrue(r.body().contains("value=\"prj_acme\""), "the form keeps the filters");
    }

    @Test
    void adminAuditWhenFilterRefusedOrMalformedThen400WithTheReason() throws Exception {
        Browser b = loggedIn(DemoFixture.PLATFORM_ADMIN);
        HttpResponse<String> refused = b.get("/admin/audit?tool=bad");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("tool is not a valid identifier"));
        int asked = backlog.auditLogQueries.size();
        HttpResponse<String> malformed = b.get("/admin/audit?from=yesterday");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("from must be a date and time"));
        assertEquals(asked, backlog.auditLogQueries.size(), "nothing is asked with a malformed filter");
    }

    @Test
    void adminAuditWhenAuditDownThen503Page() throws Exception {
        backlog.auditDown = true;
        HttpResponse<String> r = loggedIn(DemoFixture.PLATFORM_ADMIN).get("/admin/audit");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("unavailable"));
    }

    @Test
    void adminAuditWhenNotPlatformAdminThen403AndAnonymousToLogin() throws Exception {
        assertEquals(403, loggedIn(DemoFixture.ACME_OWNER).get("/admin/audit").statusCode());
        assertEquals(303, new Browser(base).get("/admin/audit").statusCode());
    }

    @Test
    void adminWhenNotPlatformAdminThen403() throws Exception {
        assertEquals(403, loggedIn(DemoFixture.ACME_OWNER).get("/admin").statusCode());
    }

    @Test
    void adminWhenPlatformAdminSuspendsThenBacklogAdminApiCalledAsThatAdmin() throws Exception {
        Browser b = loggedIn(DemoFixture.PLATFORM_ADMIN);
        HttpResponse<String> page = b.get("/admin");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("ws_hobby"));
        List<String[]> form = new ArrayList<>();
        form.add(new String[]{"csrf_token", Browser.hiddenFields(page.body()).get("csrf_token")});
        form.add(new String[]{"suspended", "true"});
        HttpResponse<String> r = b.post("/admin/workspaces/ws_hobby", form);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(backlog.adminPatches.contains("ws_hobby {\"suspended\":true}"), backlog.adminPatches.toString());
        assertTrue(backlog.adminActingUsers.contains(DemoFixture.PLATFORM_ADMIN.id()));
        assertTrue(backlog.workspaces.get("ws_hobby").suspended());
        backlog.workspaces.put("ws_hobby", new FakeBacklog.Workspace("ws_hobby", "Hobby", "free", true, false));
    }

    @Test
    void adminWhenPostWithoutCsrfThen403AndNothingChanged() throws Exception {
        Browser b = loggedIn(DemoFixture.PLATFORM_ADMIN);
        int before = backlog.adminPatches.size();
        List<String[]> form = new ArrayList<>();
        form.add(new String[]{"plan", "enterprise"});
        assertEquals(403, b.post("/admin/workspaces/ws_hobby", form).statusCode());
        assertEquals(before, backlog.adminPatches.size());
    }

    @Test
    void adminWhenPreRegisteringPublicClientThenItCanStartAnAuthorization() throws Exception {
        Browser b = loggedIn(DemoFixture.PLATFORM_ADMIN);
        List<String[]> form = new ArrayList<>();
        form.add(new String[]{"csrf_token", csrf(b)});
        form.add(new String[]{"client_name", "Internal triage bot"});
        form.add(new String[]{"redirect_uris", "https://triage.internal.example/cb"});
        form.add(new String[]{"type", "public"});
        HttpResponse<String> r = b.post("/admin/clients", form);
        assertEquals(201, r.statusCode(), r.body());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Client (cli_[A-Za-z0-9]+) registered").matcher(r.body());
        assertTrue(m.find(), r.body());
        HttpResponse<String> authorize = new Browser(base).get("/oauth/authorize?response_type=code&client_id=" + m.group(1)
                + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&code_challenge=x&code_challenge_method=S256");
        assertEquals(400, authorize.statusCode(), "the client exists; only its registered redirect URI is accepted");
        assertTrue(authorize.body().contains("Invalid redirect URI"));
    }

    @Test
    void logoutWhenPostedWithCsrfThenSessionEnds() throws Exception {
        Browser b = loggedIn(DemoFixture.ACME_VIEWER);
        List<String[]> form = new ArrayList<>();
        form.add(new String[]{"csrf_token", csrf(b)});
        String cookie = b.cookie("bmcp_session");
        assertEquals(303, b.post("/logout", form).statusCode());
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/account/apps")).header("Cookie", "bmcp_session=" + cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, after.statusCode(), "the old cookie no longer opens a session");
    }
}
