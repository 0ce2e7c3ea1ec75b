package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.KafkaTopics;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OTHER_PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_B;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_C;
import static com.backlogmcp.mcp.support.FakeNeighbours.PUBLIC_URL;
import static com.backlogmcp.mcp.support.FakeNeighbours.TWO_PROJECT_USER;
import static com.backlogmcp.mcp.support.FakeNeighbours.WORKSPACE;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workspace endpoint {@code /w/{workspaceId}/mcp}: a token bound to exactly that URL, the workspace view of the
 * catalog, and every call decided by the nine steps on the project it touches (its {@code projectId} argument) or,
 * across the workspace, on the workspace's live context — with one test per step in which that step alone stops a
 * workspace call. ws_acme holds PROJECT, PROJECT_B and PROJECT_C; TWO_PROJECT_USER is a member of the first two.
 */
@MicronautTest
class WorkspaceEndpointTest extends EdgeTestBase {

    private static final String METADATA = PUBLIC_URL + "/.well-known/oauth-protected-resource/w/" + WORKSPACE + "/mcp";

    @BeforeAll
    void topics() {
        KafkaTopics.create(Topics.GRANTS, Topics.TOOL_CALLS);
    }

    private String token(String userId) {
        return fakes.workspaceToken(userId, WORKSPACE, ALL_SCOPES);
    }

    private McpHttp.Reply call(String token, String tool, Map<String, Object> arguments) {
        return http.workspace(WORKSPACE, token, request(1, "tools/call", params("name", tool, "arguments", arguments)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpHttp.Reply r) {
        assertEquals(200, r.status(), r.body());
        return (Map<String, Object>) r.result().get("structuredContent");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> values(Map<String, Object> structured, String list, String key) {
        return ((List<Map<String, Object>>) structured.get(list)).stream().map(m -> m.get(key)).toList();
    }

    private void assertNothingRan() {
        assertEquals(0, quotaSpent(), "a denied call must not consume quota");
        assertTrue(fakes.toolCalls.isEmpty(), "a denied call must not execute");
    }

    // ---- what a member of two of three projects sees and does ----------------------------------------------

    @Test
    void listProjectsAndSearchWhenMemberOfTwoOfThreeThenExactlyThoseTwo() {
        String token = token(TWO_PROJECT_USER);
        Map<String, Object> listed = structured(call(token, "list_projects", Map.of()));
        assertEquals(List.of(PROJECT, PROJECT_B), values(listed, "projects", "id"));
        Map<String, Object> found = structured(call(token, "search", Map.of("query", "login")));
        assertEquals(List.of(PROJECT, PROJECT_B), values(found, "hits", "projectId"));
        Map<String, Object> forwarded = fakes.toolCalls.get(1);
        assertEquals(WORKSPACE, forwarded.get("workspaceId"), "the call runs across the workspace of the URL");
        assertEquals(null, forwarded.get("projectId"));
        assertEquals(TWO_PROJECT_USER, forwarded.get("userId"));
    }

    @Test
    void projectToolWhenRemovedFromOneProjectThenThatProjectRefusedAndTheOtherStillServed() {
        String token = token(TWO_PROJECT_USER);
        assertEquals(false, call(token, "get_item", Map.of("projectId", PROJECT_B, "id", "itm_1")).result().get("isError"));
        Map<String, Object> ran = fakes.toolCalls.get(0);
        assertEquals(PROJECT_B, ran.get("projectId"), "the tool ran in the project the argument names");
        assertEquals(WORKSPACE, ran.get("workspaceId"));

        fakes.members.get(PROJECT_B).remove(TWO_PROJECT_USER);
        McpHttp.Reply refused = call(token, "get_item", Map.of("projectId", PROJECT_B, "id", "itm_1"));
        assertEquals("NOT_A_MEMBER", refused.errorType(), refused.body());
        assertEquals(1, fakes.toolCalls.size(), "the refused call ran nothing");
        assertEquals(false, call(token, "get_item", Map.of("projectId", PROJECT, "id", "itm_1")).result().get("isError"),
                "the other project is still served");
        assertEquals(List.of(PROJECT), values(structured(call(token, "list_projects", Map.of())), "projects", "id"));
    }

    @Test
    void quotaWhenCallsTouchProjectsThenEachProjectChargedAndCallsAcrossChargedToTheWorkspace() {
        String token = token(TWO_PROJECT_USER);
        call(token, "get_item", Map.of("projectId", PROJECT, "id", "itm_1"));
        call(token, "get_item", Map.of("projectId", PROJECT, "id", "itm_2"));
        call(token, "list_items", Map.of("projectId", PROJECT_B));
        call(token, "list_projects", Map.of());
        call(token, "search", Map.of("query", "x"));
        leases.returnAll();
        assertEquals(2, fakes.quotaSpent(PROJECT));
        assertEquals(1, fakes.quotaSpent(PROJECT_B));
        assertEquals(0, fakes.quotaSpent(PROJECT_C));
        assertEquals(2, fakes.quotaSpent(WORKSPACE), "calls across the workspace spend the workspace's own daily counter");
    }

    @Test
    void toolsListWhenWorkspaceEndpointThenTheWorkspaceViewFilteredByTheBestRole() {
        McpHttp.Reply r = http.workspace(WORKSPACE, token(TWO_PROJECT_USER), request(1, "tools/list", Map.of()));
        assertEquals(200, r.status(), r.body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools = (List<Map<String, Object>>) r.result().get("tools");
        List<Object> names = tools.stream().map(t -> t.get("name")).toList();
        assertTrue(names.contains("list_projects") && names.contains("search"), names.toString());
        assertTrue(names.contains("create_item"), "a member somewhere may create items there");
        assertFalse(names.contains("send_announcement"), "admin in no project: not listed");
        Map<String, Object> getItem = tools.stream().filter(t -> t.get("name").equals("get_item")).findFirst().orElseThrow();
        assertEquals(List.of("projectId"), ((Map<?, ?>) getItem.get("inputSchema")).get("required"));

        McpHttp.Reply project = http.mcp(PROJECT, ownerToken(), request(2, "tools/list", Map.of()));
        assertFalse(project.body().contains("list_projects"), "a project endpoint keeps its own view");
    }

    @Test
    void resourcesWhenWorkspaceEndpointThenItsOwnResourcesReadThroughTheWorkspace() {
        String token = token(TWO_PROJECT_USER);
        McpHttp.Reply listed = http.workspace(WORKSPACE, token, request(1, "resources/list", Map.of()));
        assertTrue(listed.body().contains("backlog://workspaces/" + WORKSPACE + "/projects"), listed.body());
        McpHttp.Reply read = http.workspace(WORKSPACE, token, request(2, "resources/read",
                Map.of("uri", "backlog://workspaces/" + WORKSPACE + "/projects")));
        assertEquals(200, read.status(), read.body());
        assertNotNull(read.result().get("contents"));
        McpHttp.Reply project = http.workspace(WORKSPACE, token, request(3, "resources/read",
                Map.of("uri", "backlog://projects/" + PROJECT_B + "/items")));
        assertEquals(200, project.status(), "a project's resource, as list_projects names it: " + project.body());
        McpHttp.Reply unknown = http.workspace(WORKSPACE, token, request(4, "resources/read", Map.of("uri", "backlog://nothing")));
        assertNotNull(unknown.error(), "an unknown URI is still not found");
    }

    @Test
    void initializeWhenWorkspaceEndpointThenInstructionsSayToListProjectsFirst() {
        McpHttp.Reply init = http.workspace(WORKSPACE, token(TWO_PROJECT_USER), request(1, "initialize", params("protocolVersion",
                "2025-11-25", "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))));
        assertTrue(String.valueOf(init.result().get("instructions")).contains("list_projects"), init.body());
        assertFalse(((Map<?, ?>) init.result().get("capabilities")).containsKey("completions"),
                "completion values belong to one project");
    }

    @Test
    void metadataWhenWorkspaceEndpointThenItsOwnResource() {
        McpHttp.Reply r = http.send("GET", "/.well-known/oauth-protected-resource/w/" + WORKSPACE + "/mcp");
        assertEquals(200, r.status());
        assertEquals(PUBLIC_URL + "/w/" + WORKSPACE + "/mcp", r.json().get("resource"));
        assertEquals(404, http.send("GET", "/.well-known/oauth-protected-resource/w/bad%20id/mcp").status());
    }

    // ---- step 1–3: authentication, bound to exactly this URL ------------------------------------------------

    @Test
    void bearerWhenMissingThen401NamingTheWorkspaceMetadata() {
        McpHttp.Reply r = call(null, "list_projects", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("resource_metadata=\"" + METADATA + "\""), r.header("WWW-Authenticate"));
        assertNothingRan();
    }

    @Test
    void credentialWhenGarbageThen401() {
        assertEquals(401, call("not-a-token", "list_projects", Map.of()).status());
        assertNothingRan();
    }

    @Test
    void audienceWhenProjectTokenAtTheWorkspaceEndpointThen401() {
        McpHttp.Reply r = call(ownerToken(), "list_projects", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains(METADATA), "rediscovery points at the workspace's metadata");
        assertNothingRan();
    }

    @Test
    void audienceWhenWorkspaceTokenAtAProjectEndpointThen401() {
        McpHttp.Reply r = http.mcp(PROJECT, token(OWNER), request(1, "tools/call", params("name", "get_item", "arguments", Map.of())));
        assertEquals(401, r.status());
        assertNothingRan();
    }

    @Test
    void audienceWhenApiKeyOfTheWorkspaceThenServedAndWhenOfOneProjectThen401() {
        String workspaceKey = fakes.apiKey(TWO_PROJECT_USER, "backlog:read", null, WORKSPACE);
        assertEquals(List.of(PROJECT, PROJECT_B), values(structured(call(workspaceKey, "list_projects", Map.of())), "projects", "id"));
        String projectKey = fakes.apiKey(TWO_PROJECT_USER, "backlog:read", PROJECT, WORKSPACE);
        assertEquals(401, call(projectKey, "list_projects", Map.of()).status(), "a key bound to one project reaches only it");
        String otherWorkspace = fakes.apiKey(TWO_PROJECT_USER, "backlog:read", null, "ws_hobby");
        assertEquals(401, call(otherWorkspace, "list_projects", Map.of()).status());
    }

    // ---- steps 4–9, each alone ----------------------------------------------------------------------------

    @Test
    void scopeWhenMissingThen403StepUpNamingTheWorkspaceMetadata() {
        String token = fakes.workspaceToken(TWO_PROJECT_USER, WORKSPACE, "comments:read");
        McpHttp.Reply r = call(token, "get_item", Map.of("projectId", PROJECT, "id", "itm_1"));
        assertEquals(403, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("scope=\"comments:read backlog:read\""), r.header("WWW-Authenticate"));
        assertTrue(r.header("WWW-Authenticate").contains(METADATA));
        assertNothingRan();
    }

    @Test
    void membershipWhenProjectOfTheWorkspaceButNotAMemberThenNotAMember() {
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "get_item", Map.of("projectId", PROJECT_C, "id", "itm_1"));
        assertEquals("NOT_A_MEMBER", r.errorType(), r.body());
        assertNothingRan();
    }

    @Test
    void membershipWhenMemberOfNoProjectThenCallsAcrossRefused() {
        McpHttp.Reply r = call(token("usr_stranger"), "list_projects", Map.of());
        assertEquals("NOT_A_MEMBER", r.errorType(), r.body());
        assertNothingRan();
    }

    @Test
    void membershipWhenRoleTooLowInTheTouchedProjectThenForbidden() {
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "create_item", Map.of("projectId", PROJECT_B, "title", "x"));
        assertEquals("FORBIDDEN", r.errorType(), "a viewer in PROJECT_B, though a member elsewhere");
        assertNothingRan();
        assertEquals(false, call(token(TWO_PROJECT_USER), "create_item", Map.of("projectId", PROJECT, "title", "x"))
                .result().get("isError"), "a member in PROJECT may");
    }

    @Test
    void planWhenWorkspaceSuspendedThen423ForCallsAcrossAndPerProject() {
        fakes.setWorkspaceOf(WORKSPACE, "suspended", true);
        assertEquals(423, call(token(TWO_PROJECT_USER), "list_projects", Map.of()).status());
        assertEquals(423, call(token(TWO_PROJECT_USER), "get_item", Map.of("projectId", PROJECT, "id", "itm_1")).status());
        assertNothingRan();
    }

    @Test
    void planWhenFreeAndToolWritesThenPlanReadOnly() {
        fakes.setWorkspaceOf(WORKSPACE, "plan", "free");
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "create_item", Map.of("projectId", PROJECT, "title", "x"));
        assertEquals("PLAN_READ_ONLY", r.errorType(), r.body());
        assertNothingRan();
    }

    @Test
    void bindingWhenProjectOfAnotherWorkspaceThenNotFoundAndNothingCharged() {
        McpHttp.Reply r = call(token(OWNER), "get_item", Map.of("projectId", OTHER_PROJECT, "id", "itm_1"));
        Map<String, Object> error = r.toolError();
        assertEquals("NOT_FOUND", error.get("error_type"));
        assertTrue(String.valueOf(error.get("hint")).contains("list_projects"));
        assertEquals(0, fakes.toolRequests.get(), "never forwarded");
        assertNothingRan();
    }

    @Test
    void bindingWhenProjectToolWithoutProjectIdThenValidationErrorPointingToListProjects() {
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "get_item", Map.of("id", "itm_1"));
        Map<String, Object> error = r.toolError();
        assertEquals("VALIDATION_ERROR", error.get("error_type"));
        assertEquals("projectId", error.get("field"));
        assertEquals("list_projects", ((Map<?, ?>) error.get("next_action")).get("tool"));
        assertTrue(String.valueOf(error.get("message")).startsWith("projectId: is required"), String.valueOf(error.get("message")));
        assertNothingRan();
        assertEquals("VALIDATION_ERROR", call(token(TWO_PROJECT_USER), "get_item",
                Map.of("projectId", 42, "id", "itm_1")).toolError().get("error_type"), "a projectId that is no id");
    }

    @Test
    void bindingWhenAnArgumentNamesAnotherProjectThanTheTouchedOneThenNotFound() {
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "get_item",
                Map.of("projectId", PROJECT, "id", "itm_1", "parent", "backlog://projects/" + PROJECT_B + "/items"));
        assertEquals("NOT_FOUND", r.toolError().get("error_type"));
        assertNothingRan();
    }

    @Test
    void quotaWhenTheTouchedProjectsDailyQuotaIsSpentThenQuotaExceeded() {
        fakes.dailyLimit = 0;
        assertEquals("QUOTA_EXCEEDED", call(token(TWO_PROJECT_USER), "get_item", Map.of("projectId", PROJECT, "id", "itm_1")).errorType());
        assertEquals("QUOTA_EXCEEDED", call(token(TWO_PROJECT_USER), "list_projects", Map.of()).errorType());
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void quotaWhenTheCredentialsRateIsSpentThen429ForCallsAcross() {
        fakes.rateLimited = true;
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "list_projects", Map.of());
        assertEquals(429, r.status(), r.body());
        assertNotNull(r.header("Retry-After"));
        assertNothingRan();
    }

    @Test
    void forwardWhenBacklogFindsTheIdForeignThenToolErrorResult() {
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "get_item", Map.of("projectId", PROJECT, "id", "itm_foreign"));
        assertEquals("NOT_FOUND", r.toolError().get("error_type"));
    }

    // ---- calls across the workspace: one round trip, decided on the context the tool's answer carries -------

    /** Both calls across the workspace once, so this replica knows the workspace's plan; then counts from zero. */
    private String warmedUp(String userId) {
        String token = token(userId);
        assertEquals(false, call(token, "list_projects", Map.of()).result().get("isError"));
        assertEquals(false, call(token, "search", Map.of("query", "x")).result().get("isError"));
        fakes.toolRequests.set(0);
        fakes.workspaceAccessRequests.set(0);
        fakes.authzRequests.set(0);
        fakes.toolCalls.clear();
        forgetQuota();
        return token;
    }

    private void assertOnlyTheToolRequest(int calls) {
        assertEquals(calls, fakes.toolRequests.get(), "one backlog request per call");
        assertEquals(0, fakes.workspaceAccessRequests.get(), "no separate read of the workspace's access");
        assertEquals(0, fakes.authzRequests.get(), "no separate authorization read");
    }

    @Test
    void callsAcrossWhenSteadyThenOnlyTheToolRequestReachesBacklog() {
        String token = warmedUp(TWO_PROJECT_USER);
        int leasesBefore = fakes.leaseRequests.get();
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of(PROJECT, PROJECT_B), values(structured(call(token, "list_projects", Map.of())), "projects", "id"));
            assertEquals(List.of(PROJECT, PROJECT_B), values(structured(call(token, "search", Map.of("query", "q" + i))), "hits", "projectId"));
        }
        assertOnlyTheToolRequest(40);
        assertEquals(40, fakes.toolCalls.size());
        assertTrue(fakes.leaseRequests.get() - leasesBefore <= 8,
                "quota comes from leased blocks: " + (fakes.leaseRequests.get() - leasesBefore) + " lease requests for 40 calls");
        assertEquals(40, quotaSpent(), "every call across was charged, to the workspace's own counter");
        assertEquals(40, fakes.quotaSpent(WORKSPACE));
    }

    @Test
    void callsAcrossWhenTheFirstOnThisReplicaThenTheWorkspaceIsReadOnceForItsPlanOnly() {
        String token = token(OWNER);
        assertEquals(false, call(token, "list_projects", Map.of()).result().get("isError"));
        assertTrue(fakes.workspaceAccessRequests.get() <= 1, "at most one read, for the plan sizing the daily counter");
        fakes.workspaceAccessRequests.set(0);
        assertEquals(false, call(token, "search", Map.of("query", "x")).result().get("isError"));
        assertEquals(0, fakes.workspaceAccessRequests.get(), "the plan is remembered from the tool's answer");
    }

    @Test
    void callsAcrossWhenRemovedFromEveryProjectThenTheVeryNextCallRefusedInOneRoundTrip() {
        String token = warmedUp(TWO_PROJECT_USER);
        fakes.members.get(PROJECT).remove(TWO_PROJECT_USER);
        assertEquals(List.of(PROJECT_B), values(structured(call(token, "search", Map.of("query", "x"))), "hits", "projectId"),
                "removed from one project: the next call no longer covers it");
        fakes.members.get(PROJECT_B).remove(TWO_PROJECT_USER);
        fakes.toolCalls.clear();
        forgetQuota();
        McpHttp.Reply r = call(token, "list_projects", Map.of());
        assertEquals("NOT_A_MEMBER", r.errorType(), r.body());
        assertEquals("You are not a member of any project of workspace " + WORKSPACE + ".", r.error().get("message"));
        assertNothingRan();
        assertOnlyTheToolRequest(2);
    }

    @Test
    void callsAcrossWhenWorkspaceSuspendedThenTheVeryNextCallIs423InOneRoundTrip() {
        String token = warmedUp(TWO_PROJECT_USER);
        fakes.setWorkspaceOf(WORKSPACE, "suspended", true);
        McpHttp.Reply r = call(token, "search", Map.of("query", "x"));
        assertEquals(423, r.status(), r.body());
        assertEquals("WORKSPACE_SUSPENDED", r.errorType());
        assertNotNull(r.header("X-RateLimit-Limit"), "a metered refusal still carries the rate headers");
        assertNothingRan();
        assertOnlyTheToolRequest(1);
    }

    @Test
    void callsAcrossWhenAddOnSwitchedOffThenTheVeryNextCallIs403McpDisabledInOneRoundTrip() {
        String token = warmedUp(TWO_PROJECT_USER);
        fakes.setWorkspaceOf(WORKSPACE, "mcpEnabled", false);
        McpHttp.Reply r = call(token, "list_projects", Map.of());
        assertEquals(403, r.status(), r.body());
        assertEquals("MCP_DISABLED", r.errorType());
        assertNothingRan();
        assertOnlyTheToolRequest(1);
    }

    @Test
    void callsAcrossWhenTheBestRoleIsBelowTheToolsLeastRoleThenForbiddenAndWhenItSufficesThenRun() {
        McpHttp.Reply r = call(token(TWO_PROJECT_USER), "workspace_report", Map.of());
        assertEquals("FORBIDDEN", r.errorType(), "member at best, the tool needs admin: " + r.body());
        assertEquals("admin", ((Map<?, ?>) r.error().get("data")).get("required_role"), r.body());
        assertNothingRan();
        assertEquals(false, call(token(OWNER), "workspace_report", Map.of()).result().get("isError"), "an owner somewhere may");
        assertEquals(1, fakes.toolCalls.size());
    }

    @Test
    void callsAcrossWhenQuotaSpentAndMemberOfNoProjectThenNotAMemberWins() {
        fakes.dailyLimit = 0;
        assertEquals("NOT_A_MEMBER", call(token("usr_stranger"), "list_projects", Map.of()).errorType(),
                "a non-member learns nothing about the workspace's quota");
        McpHttp.Reply spent = call(token(TWO_PROJECT_USER), "search", Map.of("query", "x"));
        assertEquals("QUOTA_EXCEEDED", spent.errorType());
        assertTrue(String.valueOf(spent.error().get("message")).startsWith("The workspace's daily quota"), spent.body());
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void callsAcrossWhenRunOrRefusedOnTheToolsContextThenEachAuditedUnderTheWorkspace() {
        String token = warmedUp(TWO_PROJECT_USER);
        String ran = "req-" + UUID.randomUUID();
        String refused = "req-" + UUID.randomUUID();
        http.workspace(WORKSPACE, token, request(1, "tools/call", params("name", "search", "arguments", Map.of("query", "x"))),
                "X-Request-Id", ran);
        fakes.setWorkspaceOf(WORKSPACE, "suspended", true);
        http.workspace(WORKSPACE, token, request(2, "tools/call", params("name", "list_projects", "arguments", Map.of())),
                "X-Request-Id", refused);
        Map<String, Object> ok = KafkaTopics.find(Topics.TOOL_CALLS, e -> ran.equals(e.get("requestId")), Duration.ofSeconds(15))
                .orElseThrow(() -> new AssertionError("no audit event for the call across"));
        assertEquals("ok", ok.get("outcome"));
        assertEquals(WORKSPACE, ok.get("projectId"), "filed under the workspace, as its quota is counted");
        assertEquals(WORKSPACE, ok.get("workspaceId"));
        Map<String, Object> denied = KafkaTopics.find(Topics.TOOL_CALLS, e -> refused.equals(e.get("requestId")), Duration.ofSeconds(15))
                .orElseThrow(() -> new AssertionError("no audit event for the refused call across"));
        assertEquals("denied", denied.get("outcome"));
        assertEquals("WORKSPACE_SUSPENDED", denied.get("errorType"));
        assertOnlyTheToolRequest(2);
    }

    @Test
    void callsAcrossWhenBacklogAnswersWithoutTheWorkspaceContextThenStepsFiveAndSixReadItSeparately() {
        fakes.toolAnswersWithContext = false;
        String token = token(TWO_PROJECT_USER);
        assertEquals(List.of(PROJECT, PROJECT_B), values(structured(call(token, "list_projects", Map.of())), "projects", "id"));
        assertTrue(fakes.workspaceAccessRequests.get() >= 1, "the context was read separately");
        fakes.setWorkspaceOf(WORKSPACE, "suspended", true);
        assertEquals("WORKSPACE_SUSPENDED", call(token, "search", Map.of("query", "x")).errorType());
        fakes.setWorkspaceOf(WORKSPACE, "suspended", false);
        fakes.members.get(PROJECT).remove(TWO_PROJECT_USER);
        fakes.members.get(PROJECT_B).remove(TWO_PROJECT_USER);
        assertEquals("NOT_A_MEMBER", call(token, "list_projects", Map.of()).errorType());
        assertEquals(1, fakes.toolCalls.size(), "only the first call ran");
    }

    // ---- the transport of the workspace endpoint -----------------------------------------------------------

    @Test
    void sessionWhenInitializedOnTheWorkspaceEndpointThenBoundToIt() {
        String token = token(TWO_PROJECT_USER);
        McpHttp.Reply init = http.workspace(WORKSPACE, token, request(1, "initialize", params("protocolVersion", "2025-06-18",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))), "MCP-Protocol-Version", null);
        assertEquals(200, init.status(), init.body());
        String session = init.header("Mcp-Session-Id");
        assertNotNull(session);
        assertEquals(200, http.workspace(WORKSPACE, token, request(2, "ping", null), "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-06-18").status());
        assertEquals(204, http.send("DELETE", "/w/" + WORKSPACE + "/mcp", "Authorization", "Bearer " + token,
                "Mcp-Session-Id", session).status());
    }
}
