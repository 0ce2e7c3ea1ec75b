package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.AuthDirectoryStub;
import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.support.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * People by email: list_members shows emails from auth's directory, invite_member takes an email, an email with no
 * account becomes an invitation that turns into membership when auth-service reports the person's sign-in.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeopleTest extends ToolTestSupport {

    private final AuthDirectoryStub directory = AuthDirectoryStub.get();

    private static String unique(String name) {
        return (name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void listMembersWhenDirectoryKnowsThemThenEachMembersEmail() {
        var p = fixtures().project();
        directory.add(p.member(), unique("Member"), "Mia Member");
        var members = rows(ok("list_members", p, p.viewer(), Map.of()).get("members"));
        var member = members.stream().filter(m -> m.get("userId").equals(p.member())).findFirst().orElseThrow();
        assertEquals(directory.users.get(p.member()).email(), member.get("email"));
        var owner = members.stream().filter(m -> m.get("userId").equals(p.owner())).findFirst().orElseThrow();
        assertNull(owner.get("email"), "an account the directory does not know has no email");
    }

    @Test
    void listMembersWhenDirectoryDownThenUpstreamUnavailableNotAGuess() {
        var p = fixtures().project();
        directory.down = true;
        try {
            assertEquals("UPSTREAM_UNAVAILABLE", fail("list_members", p, p.viewer(), Map.of()));
        } finally {
            directory.down = false;
        }
    }

    @Test
    void inviteMemberWhenEmailHasAnAccountThenMemberAtOnce() {
        var p = fixtures().project();
        String userId = "usr_known_" + UUID.randomUUID().toString().substring(0, 8);
        String email = unique("Known");
        directory.add(userId, email, "Kim Known");
        var r = ok("invite_member", p, p.admin(), Map.of("email", email.toUpperCase(java.util.Locale.ROOT), "role", "member"));
        assertEquals("added", r.get("outcome"));
        assertEquals(userId, map(r.get("member")).get("userId"));
        assertEquals("Kim Known", text(map(r.get("member")).get("displayName")));
        assertEquals("CONFLICT", fail("invite_member", p, p.admin(), Map.of("email", email, "role", "viewer")));
    }

    @Test
    void inviteMemberWhenEmailHasNoAccountThenPendingInvitationUntilThatPersonSignsIn() {
        var p = fixtures().project();
        String email = unique("Newcomer");
        var r = ok("invite_member", p, p.admin(), Map.of("email", email, "role", "member", "displayName", "Nia"));
        assertEquals("invited", r.get("outcome"));
        var invitation = map(r.get("invitation"));
        assertEquals(email, invitation.get("email"));
        String token = tokenOf((String) invitation.get("acceptUrl"));
        assertTrue(((String) invitation.get("acceptUrl")).startsWith("http://localhost:8081/invitations/"));
        assertEquals(1, rows(ok("list_members", p, p.admin(), Map.of("includeInvitations", true)).get("invitations")).size());
        assertEquals("CONFLICT", fail("invite_member", p, p.admin(), Map.of("email", email, "role", "viewer")));
        assertEquals(1L, outboxRows(p.projectId(), "invitation.created"));

        var looked = internal().post("/internal/invitations/lookup", Json.write(Map.of("token", token)));
        assertEquals(200, looked.status());
        assertEquals(p.projectId(), map(looked.body().get("invitation")).get("projectId"));
        assertEquals(404, internal().post("/internal/invitations/lookup", Json.write(Map.of("token", token + "x"))).status());

        String newUser = "usr_new_" + UUID.randomUUID().toString().substring(0, 8);
        var claimed = claim(newUser, email);
        assertEquals(List.of(p.projectId()), rows(claimed.body().get("joined")).stream().map(j -> j.get("projectId")).toList());
        assertEquals("member", role(p, newUser));
        assertEquals("Nia", text(rows(ok("list_members", p, p.viewer(), Map.of()).get("members")).stream()
                .filter(m -> m.get("userId").equals(newUser)).findFirst().orElseThrow().get("displayName")));
        assertEquals(1L, outboxRows(p.projectId(), "invitation.accepted"));
        // One-time: the link is dead and a second sign-in joins nothing more.
        assertEquals(404, internal().post("/internal/invitations/lookup", Json.write(Map.of("token", token))).status());
        assertEquals(List.of(), claim(newUser, email).body().get("joined"));
    }

    @Test
    void claimWhenManySignInsAtOnceThenEachInvitationAcceptedExactlyOnce() throws Exception {
        var p = fixtures().project();
        var q = fixtures().project();
        String email = unique("Racer");
        ok("invite_member", p, p.admin(), Map.of("email", email, "role", "viewer"));
        ok("invite_member", q, q.admin(), Map.of("email", email, "role", "member"));
        String user = "usr_racer_" + UUID.randomUUID().toString().substring(0, 8);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> joined = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            joined.add(pool.submit(() -> {
                start.await();
                return rows(claim(user, email).body().get("joined")).size();
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : joined) {
            total += f.get();
        }
        pool.shutdown();
        assertEquals(2, total);
        assertEquals("viewer", role(p, user));
        assertEquals("member", role(q, user));
        assertEquals(1L, outboxRows(p.projectId(), "invitation.accepted"));
    }

    @Test
    void invitationWhenExpiredThenLinkDeadNoMembershipAndAFreshInvitationAllowed() {
        var p = fixtures().project();
        String email = unique("Late");
        String token = tokenOf((String) map(ok("invite_member", p, p.admin(), Map.of("email", email, "role", "member"))
                .get("invitation")).get("acceptUrl"));
        fixtures().sql(sql -> sql.update("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = ?", email));
        assertEquals(404, internal().post("/internal/invitations/lookup", Json.write(Map.of("token", token))).status());
        String user = "usr_late_" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(List.of(), claim(user, email).body().get("joined"));
        assertNull(role(p, user));
        assertEquals("invited", ok("invite_member", p, p.admin(), Map.of("email", email, "role", "member")).get("outcome"));
    }

    @Test
    void revokeWhenNotTheSenderNorAnAdminThenRefusedAndWhenTheSenderThenLinkDead() {
        var p = fixtures().project();
        String email = unique("Revoked");
        var invitation = map(ok("invite_member", p, p.admin(), Map.of("email", email, "role", "viewer")).get("invitation"));
        String id = (String) invitation.get("id");
        assertEquals(1, rows(internal().get("/internal/users/" + p.admin() + "/invitations").body().get("invitations")).size());
        assertEquals(404, internal().post("/internal/invitations/" + id + "/revoke", Json.write(Map.of("userId", p.member()))).status());
        assertEquals(204, internal().post("/internal/invitations/" + id + "/revoke", Json.write(Map.of("userId", p.admin()))).status());
        assertEquals(404, internal().post("/internal/invitations/lookup",
                Json.write(Map.of("token", tokenOf((String) invitation.get("acceptUrl"))))).status());
        assertEquals(0, rows(internal().get("/internal/users/" + p.admin() + "/invitations").body().get("invitations")).size());
    }

    @Test
    void inviteMemberWhenBothOrNeitherOfEmailAndUserIdThenValidationErrorAndOwnerOnlyByOwner() {
        var p = fixtures().project();
        assertEquals("VALIDATION_ERROR", fail("invite_member", p, p.admin(), Map.of("role", "viewer")));
        assertEquals("VALIDATION_ERROR", fail("invite_member", p, p.admin(),
                Map.of("role", "viewer", "email", unique("Both"), "userId", "usr_x")));
        assertEquals("VALIDATION_ERROR", fail("invite_member", p, p.admin(), Map.of("role", "viewer", "email", "not-an-email")));
        assertEquals("FORBIDDEN", fail("invite_member", p, p.admin(), Map.of("role", "owner", "email", unique("Boss"))));
        boolean any = fixtures().query(sql -> sql.one("SELECT 1 FROM invitations WHERE project_id = ?", rs -> 1, p.projectId()).isPresent());
        assertFalse(any);
    }

    private Internal.Reply claim(String userId, String email) {
        var r = internal().post("/internal/invitations/claim", Json.write(Map.of("userId", userId, "email", email)));
        assertEquals(200, r.status(), () -> r.body().toString());
        return r;
    }

    private String role(Fixtures.TestProject p, String userId) {
        return fixtures().query(sql -> sql.one("SELECT role FROM members WHERE project_id = ? AND user_id = ?",
                rs -> rs.getString(1), p.projectId(), userId).orElse(null));
    }

    private long outboxRows(String projectId, String kind) {
        return fixtures().query(sql -> sql.one("SELECT count(*) FROM outbox WHERE event_key = ? AND payload->>'kind' = ?",
                rs -> rs.getLong(1), projectId, kind).orElseThrow());
    }

    private static String tokenOf(String acceptUrl) {
        return acceptUrl.substring(acceptUrl.lastIndexOf('/') + 1);
    }
}
