package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.support.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The tool call carries its own authorization: the live checks run in the tool's transaction, the answer returns
 * the context they read and whether they admitted the call, and the caller's {@code requires} can only tighten
 * them. A refused call runs nothing (a write tool leaves no row behind).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveAdmissionTest extends ToolTestSupport {

    Fixtures.TestProject p;

    @BeforeAll
    void project() {
        p = fixtures().project();
    }

    private Internal.Reply call(String tool, String projectId, String userId, Map<String, Object> args, Map<String, Object> requires) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projectId", projectId);
        body.put("userId", userId);
        body.put("arguments", args);
        if (requires != null) {
            body.put("requires", requires);
        }
        return internal().send(HttpRequest.POST("/internal/tools/" + tool, Json.write(body)));
    }

    private static Map<?, ?> authz(Internal.Reply r) {
        return (Map<?, ?>) r.body().get("authz");
    }

    @Test
    void callWhenAdmittedThenAnswerCarriesTheContextItRanOn() {
        Internal.Reply r = call("list_items", p.projectId(), p.member(), Map.of(), null);
        assertEquals(200, r.status());
        assertEquals(false, r.isError());
        assertEquals(true, r.body().get("admitted"));
        assertEquals("member", authz(r).get("role"));
        assertEquals(p.workspaceId(), authz(r).get("workspaceId"));
    }

    @Test
    void callWhenNotAMemberThenRefusedWithContextAndNothingRuns() {
        Internal.Reply r = call("create_item", p.projectId(), p.outsider(), Map.of("title", "should not exist"), null);
        assertEquals("NOT_A_MEMBER", r.errorType());
        assertEquals(false, r.body().get("admitted"));
        assertNull(authz(r).get("role"));
        assertEquals(0L, countItems("should not exist"));
    }

    @Test
    void callWhenRequiresAStricterRoleThenRefusedEvenThoughTheToolAllowsIt() {
        Internal.Reply r = call("create_item", p.projectId(), p.member(), Map.of("title", "stricter"), Map.of("minRole", "admin", "write", true));
        assertEquals("FORBIDDEN", r.errorType());
        assertEquals(false, r.body().get("admitted"));
        assertEquals(0L, countItems("stricter"));
    }

    @Test
    void callWhenRequiresALaxerRoleThenTheToolsOwnMinimumStillHolds() {
        Internal.Reply r = call("create_item", p.projectId(), p.viewer(), Map.of("title", "laxer"), Map.of("minRole", "viewer", "write", false));
        assertEquals("FORBIDDEN", r.errorType());
        assertEquals(0L, countItems("laxer"));
    }

    @Test
    void callWhenRequiresWriteOnAFreePlanThenPlanReadOnly() {
        var free = fixtures().project("free");
        Internal.Reply r = call("list_items", free.projectId(), free.owner(), Map.of(), Map.of("minRole", "viewer", "write", true));
        assertEquals("PLAN_READ_ONLY", r.errorType());
        assertEquals(false, r.body().get("admitted"));
    }

    @Test
    void callWhenProjectUnknownThenRefusedWithoutContext() {
        Internal.Reply r = call("list_items", "prj_unknown", p.owner(), Map.of(), null);
        assertEquals("NOT_FOUND", r.errorType());
        assertEquals(false, r.body().get("admitted"));
        assertNull(r.body().get("authz"));
    }

    @Test
    void callWhenRequiresIsNotAnObjectThen400() {
        Map<String, Object> body = Map.of("projectId", p.projectId(), "userId", p.owner(), "arguments", Map.of(), "requires", "admin");
        assertEquals(400, internal().send(HttpRequest.POST("/internal/tools/list_items", Json.write(body))).status());
    }

    private long countItems(String title) {
        long[] n = {0};
        fixtures().sql(sql -> n[0] = sql.one("SELECT count(*) AS n FROM items WHERE title = ?", rs -> rs.getLong("n"), title).orElse(0L));
        return n[0];
    }
}
