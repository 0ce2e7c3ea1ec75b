package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.quota.QuotaLeases;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.KafkaTopics;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT_B;
import static com.backlogmcp.mcp.support.FakeNeighbours.TWO_PROJECT_USER;
import static com.backlogmcp.mcp.support.FakeNeighbours.WORKSPACE;
import static com.backlogmcp.mcp.support.FakeNeighbours.PUBLIC_URL;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules that must hold at every edge replica, with two of them (two application contexts): a revoked grant is
 * refused at both within a second although each cached the verified token, and a removed member or a suspended
 * workspace is refused at both on the very next call, because neither keeps membership or workspace flags; on a
 * workspace endpoint the same holds per project and for calls across the workspace, and the workspace's own daily
 * counter (calls across it) is exact over both.
 */
@MicronautTest
class TwoEdgeReplicasTest extends EdgeTestBase {

    private EmbeddedServer second;
    private McpHttp secondHttp;

    @BeforeAll
    void startSecondReplica() {
        KafkaTopics.create(Topics.GRANTS, Topics.TOOL_CALLS);
        second = ApplicationContext.run(EmbeddedServer.class, new java.util.HashMap<String, Object>(getProperties()));
        secondHttp = new McpHttp(second.getURL().toString());
    }

    @AfterEach
    void secondReplicaReturnsItsBlocks() {
        // As the first replica does before each test (EdgeTestBase): no test spends blocks another one leased.
        second.getApplicationContext().getBean(QuotaLeases.class).returnAll();
    }

    @AfterAll
    void stopSecondReplica() {
        second.close();
    }

    private List<McpHttp> replicas() {
        return List.of(http, secondHttp);
    }

    private static McpHttp.Reply getItem(McpHttp edge, String token) {
        return edge.mcp(PROJECT, token, request(1, "tools/call", params("name", "get_item", "arguments", Map.of())));
    }

    @Test
    void revocationWhenPublishedThenBothReplicasRefuseWithinOneSecond() throws InterruptedException {
        String grantId = "gid_" + UUID.randomUUID();
        String token = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, grantId,
                Instant.now().plus(10, ChronoUnit.MINUTES), fakes.signingKey());
        for (McpHttp edge : replicas()) {
            assertEquals(false, getItem(edge, token).result().get("isError")); // verified and cached at both
        }
        KafkaTopics.publish(Topics.GRANTS, grantId, new GrantEvent(UUID.randomUUID().toString(), Instant.now(),
                GrantEvent.GRANT_REVOKED, grantId, null, OWNER, PROJECT, "ws_acme", "client", "user"));
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (McpHttp edge : replicas()) {
            int status = 200;
            while (status != 401 && System.nanoTime() < deadline) {
                status = edge.mcp(PROJECT, token, request(2, "ping", null)).status();
                if (status != 401) {
                    Thread.sleep(20);
                }
            }
            assertEquals(401, status, "a replica still accepted the revoked grant one second after the event");
        }
    }

    @Test
    void memberRemovedOrWorkspaceSuspendedThenTheNextCallAtEitherReplicaIsRefused() {
        String token = ownerToken();
        for (McpHttp edge : replicas()) {
            assertEquals(false, getItem(edge, token).result().get("isError"));
        }
        fakes.setWorkspace(PROJECT, "suspended", true);
        for (McpHttp edge : replicas()) {
            assertEquals("WORKSPACE_SUSPENDED", getItem(edge, token).errorType());
        }
        fakes.setWorkspace(PROJECT, "suspended", false);
        fakes.setWorkspace(PROJECT, "mcpEnabled", false);
        for (McpHttp edge : replicas()) {
            assertEquals("MCP_DISABLED", getItem(edge, token).errorType());
        }
        fakes.setWorkspace(PROJECT, "mcpEnabled", true);
        fakes.members.get(PROJECT).remove(OWNER);
        for (McpHttp edge : replicas()) {
            assertEquals("NOT_A_MEMBER", getItem(edge, token).errorType());
        }
    }

    @Test
    void workspaceEndpointWhenMemberRemovedFromOneProjectThenBothReplicasRefuseItAndServeTheOther() {
        String token = fakes.workspaceToken(TWO_PROJECT_USER, WORKSPACE, ALL_SCOPES);
        for (McpHttp edge : replicas()) {
            assertEquals(false, workspaceGetItem(edge, token, PROJECT_B).result().get("isError"));
        }
        fakes.members.get(PROJECT_B).remove(TWO_PROJECT_USER);
        for (McpHttp edge : replicas()) {
            assertEquals("NOT_A_MEMBER", workspaceGetItem(edge, token, PROJECT_B).errorType());
            assertEquals(false, workspaceGetItem(edge, token, PROJECT).result().get("isError"));
        }
    }

    @Test
    void workspaceEndpointWhenSuspendedAddOnOffOrRemovedEverywhereThenTheNextCallAcrossAtEitherReplicaIsRefused() {
        String token = fakes.workspaceToken(TWO_PROJECT_USER, WORKSPACE, ALL_SCOPES);
        for (McpHttp edge : replicas()) {
            assertTrue(listProjects(edge, token, 1), "served at both, each learning the workspace's plan");
        }
        fakes.setWorkspaceOf(WORKSPACE, "suspended", true);
        for (McpHttp edge : replicas()) {
            assertEquals("WORKSPACE_SUSPENDED", workspaceCall(edge, token, "list_projects").errorType());
        }
        fakes.setWorkspaceOf(WORKSPACE, "suspended", false);
        fakes.setWorkspaceOf(WORKSPACE, "mcpEnabled", false);
        for (McpHttp edge : replicas()) {
            assertEquals("MCP_DISABLED", workspaceCall(edge, token, "list_projects").errorType());
        }
        fakes.setWorkspaceOf(WORKSPACE, "mcpEnabled", true);
        fakes.members.get(PROJECT).remove(TWO_PROJECT_USER);
        fakes.members.get(PROJECT_B).remove(TWO_PROJECT_USER);
        for (McpHttp edge : replicas()) {
            assertEquals("NOT_A_MEMBER", workspaceCall(edge, token, "list_projects").errorType());
        }
        assertEquals(2, fakes.toolCalls.size(), "only the first two calls ran");
    }

    private static McpHttp.Reply workspaceCall(McpHttp edge, String token, String tool) {
        return edge.workspace(WORKSPACE, token, request(1, "tools/call", params("name", tool, "arguments", Map.of())));
    }

    @Test
    void workspaceEndpointWhenCallsAcrossAtBothReplicasThenTheWorkspacesDailyLimitIsExact() {
        fakes.dailyLimit = 5;
        String token = fakes.workspaceToken(TWO_PROJECT_USER, WORKSPACE, ALL_SCOPES);
        int served = 0;
        for (int i = 0; i < 10; i++) {
            served += listProjects(replicas().get(i % 2), token, i) ? 1 : 0;
        }
        assertTrue(served <= 5, "two replicas together never serve more than the workspace's daily limit: " + served);
        // Slots one replica still holds go back to the ledger; then the rest of the day's calls are served, no more.
        leases.returnAll();
        second.getApplicationContext().getBean(QuotaLeases.class).returnAll();
        for (int i = 0; i < 10 && listProjects(http, token, 100 + i); i++) {
            served++;
        }
        assertEquals(5, served, "the workspace's own counter is exact over both replicas");
        assertEquals(0, fakes.quotaSpent(PROJECT) + fakes.quotaSpent(PROJECT_B), "no project's quota was touched");
    }

    private static boolean listProjects(McpHttp edge, String token, int id) {
        McpHttp.Reply r = edge.workspace(WORKSPACE, token, request(id, "tools/call", params("name", "list_projects", "arguments", Map.of())));
        if (r.json().get("result") != null) {
            return true;
        }
        assertEquals("QUOTA_EXCEEDED", r.errorType(), r.body());
        return false;
    }

    private static McpHttp.Reply workspaceGetItem(McpHttp edge, String token, String projectId) {
        return edge.workspace(WORKSPACE, token, request(1, "tools/call",
                params("name", "get_item", "arguments", Map.of("projectId", projectId, "id", "itm_1"))));
    }
}
