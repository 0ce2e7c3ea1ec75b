package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OTHER_PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tools/call costs one internal round trip in the steady state (the tool itself, which brings the live context
 * back), the outcome is still that of the nine steps in order, and every metered method answers with the rate
 * headers while only tools/call spends daily quota.
 */
@MicronautTest
class OneRoundTripTest extends EdgeTestBase {

    private McpHttp.Reply call(String token, String tool, Map<String, Object> arguments) {
        return http.mcp(PROJECT, token, request(1, "tools/call", params("name", tool, "arguments", arguments)));
    }

    @Test
    void toolCallWhenSteadyThenOnlyTheToolRequestReachesANeighbour() {
        String token = ownerToken();
        for (int i = 0; i < 3; i++) {
            assertEquals(false, call(token, "get_item", Map.of("id", "itm_1")).result().get("isError"));
        }
        int leasesBefore = fakes.leaseRequests.get();
        fakes.toolRequests.set(0);
        fakes.authzRequests.set(0);
        for (int i = 0; i < 40; i++) {
            assertEquals(false, call(token, "get_item", Map.of("id", "itm_" + i)).result().get("isError"));
        }
        assertEquals(40, fakes.toolRequests.get(), "one backlog request per call");
        assertEquals(0, fakes.authzRequests.get(), "no separate authorization read");
        assertTrue(fakes.leaseRequests.get() - leasesBefore <= 8,
                "quota comes from leased blocks: " + (fakes.leaseRequests.get() - leasesBefore) + " lease requests for 40 calls");
    }

    @Test
    void toolCallWhenBacklogPredatesTheContextThenStepsFiveAndSixReadItLive() {
        fakes.toolAnswersWithContext = false;
        String token = ownerToken();
        assertEquals(false, call(token, "get_item", Map.of()).result().get("isError"));
        fakes.members.get(PROJECT).remove(OWNER);
        McpHttp.Reply r = call(token, "get_item", Map.of());
        assertEquals("NOT_A_MEMBER", r.errorType());
        assertTrue(fakes.authzRequests.get() >= 1);
    }

    @Test
    void refusalWhenAForeignProjectArgumentAndNotAMemberThenTheEarlierStepWins() {
        String outsider = fakes.token("usr_acme_outsider", PROJECT, ALL_SCOPES);
        McpHttp.Reply r = call(outsider, "list_items", Map.of("projectId", OTHER_PROJECT));
        assertEquals("NOT_A_MEMBER", r.errorType(), "step 5 refuses before step 7 would");
        assertEquals(0, fakes.toolRequests.get());
        assertEquals(0, quotaSpent());
    }

    @Test
    void refusalWhenQuotaSpentAndNotAMemberThenNotAMember() {
        fakes.dailyLimit = 0;
        String outsider = fakes.token("usr_acme_outsider", PROJECT, ALL_SCOPES);
        assertEquals("NOT_A_MEMBER", call(outsider, "get_item", Map.of()).errorType(), "a non-member learns nothing about quota");
        assertEquals("QUOTA_EXCEEDED", call(ownerToken(), "get_item", Map.of()).errorType());
        assertEquals(0, fakes.toolRequests.get());
    }

    @Test
    void refusalWhenSuspendedAfterTheForwardThenSlotGivenBackAndNothingRan() {
        String token = ownerToken();
        assertEquals(false, call(token, "get_item", Map.of()).result().get("isError"));
        forgetQuota();
        fakes.toolCalls.clear();
        fakes.setWorkspace(PROJECT, "suspended", true);
        McpHttp.Reply r = call(token, "get_item", Map.of());
        assertEquals(423, r.status());
        assertEquals("WORKSPACE_SUSPENDED", r.errorType());
        assertNotNull(r.header("X-RateLimit-Limit"), "a metered refusal still carries the rate headers");
        assertTrue(fakes.toolCalls.isEmpty());
        assertEquals(0, quotaSpent(), "the slot taken before the forward went back");
    }

    @Test
    void meteringWhenAnyProjectMethodThenRateHeadersAndOnlyToolsCallSpendDailyQuota() {
        fakes.dailyLimit = 1;
        String token = ownerToken();
        for (Map<String, Object> message : java.util.List.of(
                request(1, "tools/list", null),
                request(2, "resources/list", null),
                request(3, "resources/read", params("uri", "backlog://projects/" + PROJECT + "/items")),
                request(4, "prompts/list", null))) {
            McpHttp.Reply r = http.mcp(PROJECT, token, message);
            assertEquals(200, r.status(), r.body());
            assertTrue(r.json().containsKey("result"), r.body());
            assertEquals("600", r.header("X-RateLimit-Limit"), message.get("method") + " is metered");
            assertNotNull(r.header("X-RateLimit-Remaining"));
            assertNotNull(r.header("X-RateLimit-Reset"));
        }
        McpHttp.Reply first = call(token, "get_item", Map.of());
        assertEquals(false, first.result().get("isError"), "the listings spent no daily quota");
        assertEquals("600", first.header("X-RateLimit-Limit"));
        assertEquals("QUOTA_EXCEEDED", call(token, "get_item", Map.of()).errorType());
        assertEquals(200, http.mcp(PROJECT, token, request(5, "tools/list", null)).status(), "listing still works once the day is spent");
    }

    @Test
    void toolCallWhenProjectDoesNotExistThen404NotFoundAndNothingCounted() {
        String key = fakes.apiKey(OWNER, "backlog:read", "prj_gone", null);
        McpHttp.Reply r = http.mcp("prj_gone", key, request(1, "tools/call", params("name", "get_item", "arguments", Map.of())));
        assertEquals(404, r.status(), r.body());
        assertEquals("NOT_FOUND", r.errorType());
        assertEquals(0, fakes.toolRequests.get());
        assertEquals(0, quotaSpent());
    }

    @Test
    void meteringWhenRateSpentThenResourcesReadIs429WithRetryAfter() {
        fakes.rateLimited = true;
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(),
                request(1, "resources/read", params("uri", "backlog://projects/" + PROJECT + "/items")));
        assertEquals(429, r.status(), r.body());
        assertEquals("RATE_LIMITED", r.errorType());
        assertNotNull(r.header("Retry-After"));
        assertEquals("0", r.header("X-RateLimit-Remaining"));
    }

    @Test
    void audienceWhenWorkspaceKeyThenWorkspaceRememberedAfterTheFirstCall() {
        String key = fakes.apiKey(OWNER, "backlog:read", null, "ws_acme");
        assertEquals(false, call(key, "get_item", Map.of()).result().get("isError"));
        fakes.authzRequests.set(0);
        assertEquals(false, call(key, "get_item", Map.of()).result().get("isError"));
        assertEquals(0, fakes.authzRequests.get(), "a project's workspace never changes: no read per call");
        String other = fakes.apiKey("usr_hobby_owner", "backlog:read", null, "ws_acme");
        assertEquals(401, http.mcp(FakeNeighbours.OTHER_PROJECT, other, request(1, "tools/call",
                params("name", "get_item", "arguments", Map.of()))).status(), "a key of one workspace is refused in another");
    }
}
