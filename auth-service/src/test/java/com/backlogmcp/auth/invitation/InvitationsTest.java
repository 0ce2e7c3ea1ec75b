package com.backlogmcp.auth.invitation;

import com.backlogmcp.auth.Browser;
import com.backlogmcp.auth.FakeBacklog;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.contracts.demo.DemoFixture;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People by email on auth-service's side: the user directory backlog-service reads, the invitation link that
 * creates an account and turns the invitation into membership, the claim at every sign-in, the sent list.
 * backlog-service is {@link FakeBacklog}: these tests are about that boundary.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvitationsTest implements TestPropertyProvider {

    FakeBacklog backlog;
    @Inject
    EmbeddedServer server;
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

    @AfterAll
    void stop() {
        backlog.close();
    }

    private String invite(String email, String invitedBy) {
        String token = "tok-" + UUID.randomUUID();
        backlog.invitations.put(token, new FakeBacklog.Invitation("inv_" + UUID.randomUUID().toString().substring(0, 8),
                "prj_acme", email, "member", invitedBy));
        return token;
    }

    private HttpResponse<String> lookup(String json, String caller) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/internal/users/lookup"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (caller != null) {
            r.header("Authorization", "Bearer " + new ServiceTokens(TestStack.SERVICE_SECRET).mint(caller, ServiceNames.AUTH));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signUp(Browser b, String token, String name, String password) throws Exception {
        HttpResponse<String> page = b.get("/invitations/" + token);
        assertEquals(200, page.statusCode(), page.body());
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(page.body()).forEach((k, v) -> form.add(new String[]{k, v}));
        form.add(new String[]{"display_name", name});
        form.add(new String[]{"password", password});
        return b.post("/invitations/" + token, form);
    }

    @Test
    void directoryWhenBacklogAsksByEmailOrIdThenUsersWithEmailsAndWithoutCredential401() throws Exception {
        var r = lookup("{\"emails\":[\"OWNER@acme.test\",\"nobody@acme.test\"],\"userIds\":[\"usr_acme_viewer\"]}", ServiceNames.BACKLOG);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"email\":\"owner@acme.test\""), r.body());
        assertTrue(r.body().contains("\"userId\":\"usr_acme_viewer\""), r.body());
        assertFalse(r.body().contains("nobody"), r.body());
        assertFalse(r.body().contains("password"), r.body());
        assertEquals(401, lookup("{\"emails\":[\"owner@acme.test\"]}", null).statusCode());
        assertEquals(400, lookup("{\"emails\":[\"a@b\"],\"extra\":1}", ServiceNames.BACKLOG).statusCode());
    }

    @Test
    void invitationLinkWhenFollowedThenAccountForThatEmailSignedInMemberAndLinkDead() throws Exception {
        String email = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String token = invite(email, DemoFixture.ACME_ADMIN.id());
        Browser b = new Browser(base);
        HttpResponse<String> page = b.get("/invitations/" + token);
        assertTrue(page.body().contains("Acme") && page.body().contains(email), page.body());
        HttpResponse<String> done = signUp(b, token, "Nia Newcomer", "correct horse battery");
        assertEquals(303, done.statusCode(), done.body());
        assertEquals("/account/connect", done.headers().firstValue("Location").orElseThrow());
        assertEquals(200, b.get("/account/connect").statusCode(), "signed in");
        assertTrue(backlog.claims.stream().anyMatch(c -> c.endsWith(" " + email)), backlog.claims.toString());
        assertEquals(404, new Browser(base).get("/invitations/" + token).statusCode(), "one-time link");
        // The new account logs in with its password like anyone else.
        new Browser(base).login(email, "correct horse battery", null);
    }

    @Test
    void invitationLinkWhenPasswordTooShortOrCsrfMissingThenNoAccount() throws Exception {
        String email = "short-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String token = invite(email, DemoFixture.ACME_ADMIN.id());
        assertEquals(400, signUp(new Browser(base), token, "Sam", "short").statusCode());
        Browser noCookie = new Browser(base);
        HttpResponse<String> forged = noCookie.post("/invitations/" + token,
                List.of(new String[]{"invite_csrf", "forged"}, new String[]{"display_name", "Sam"}, new String[]{"password", "long enough password"}));
        assertEquals(403, forged.statusCode());
        assertEquals(200, new Browser(base).get("/invitations/" + token).statusCode(), "still open");
        assertEquals(404, new Browser(base).get("/invitations/not-a-token").statusCode());
    }

    @Test
    void invitationLinkWhenSubmittedManyTimesAtOnceThenExactlyOneAccount() throws Exception {
        String email = "racer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String token = invite(email, DemoFixture.ACME_ADMIN.id());
        int n = 6;
        List<Browser> browsers = new ArrayList<>();
        List<List<String[]>> forms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Browser b = new Browser(base);
            HttpResponse<String> page = b.get("/invitations/" + token);
            List<String[]> form = new ArrayList<>();
            Browser.hiddenFields(page.body()).forEach((k, v) -> form.add(new String[]{k, v}));
            form.add(new String[]{"display_name", "Racer " + i});
            form.add(new String[]{"password", "racing password " + i});
            browsers.add(b);
            forms.add(form);
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            statuses.add(pool.submit(() -> {
                go.await();
                return browsers.get(k).post("/invitations/" + token, forms.get(k)).statusCode();
            }));
        }
        go.countDown();
        int created = 0;
        for (Future<Integer> s : statuses) {
            int status = s.get();
            assertTrue(status == 303 || status == 409 || status == 404, "status " + status);
            created += status == 303 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, created);
    }

    @Test
    void loginWhenSuccessfulThenInvitationsOfThatEmailClaimed() throws Exception {
        int before = (int) backlog.claims.stream().filter(c -> c.equals("usr_acme_viewer viewer@acme.test")).count();
        new Browser(base).login(DemoFixture.ACME_VIEWER.email(), DemoFixture.ACME_VIEWER.password(), null);
        assertEquals(before + 1, backlog.claims.stream().filter(c -> c.equals("usr_acme_viewer viewer@acme.test")).count());
    }

    @Test
    void accountPageWhenInvitationsSentThenListedAndWithdrawable() throws Exception {
        String email = "pending-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String token = invite(email, DemoFixture.ACME_OWNER.id());
        String id = backlog.invitations.get(token).id();
        Browser b = new Browser(base);
        b.login(DemoFixture.ACME_OWNER.email(), DemoFixture.ACME_OWNER.password(), null);
        HttpResponse<String> page = b.get("/account/invitations");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(email), page.body());
        String csrf = Browser.hiddenFields(page.body()).get("csrf_token");
        assertEquals(200, b.post("/account/invitations/" + id + "/revoke", List.<String[]>of(new String[]{"csrf_token", csrf})).statusCode());
        assertFalse(b.get("/account/invitations").body().contains(email));
        assertEquals(404, new Browser(base).get("/invitations/" + token).statusCode());
    }
}
