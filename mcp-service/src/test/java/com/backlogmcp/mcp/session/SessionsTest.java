package com.backlogmcp.mcp.session;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2025-era sessions across two edge replicas (this test's context and a second one started beside it): issued at
 * initialize, served by either replica, bound to the credential, ended by DELETE on one replica and refused on the
 * other.
 */
@MicronautTest
class SessionsTest extends EdgeTestBase {

    private EmbeddedServer replicaB;
    private McpHttp httpB;

    @BeforeAll
    void startSecondReplica() {
        replicaB = ApplicationContext.run(EmbeddedServer.class, new java.util.HashMap<String, Object>(getProperties()));
        httpB = new McpHttp(replicaB.getURL().toString());
    }

    @AfterAll
    void stopSecondReplica() {
        replicaB.close();
    }

    private String initialize(McpHttp on, String token) {
        McpHttp.Reply r = on.mcp(PROJECT, token, request(1, "initialize", params("protocolVersion", "2025-11-25",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))));
        assertEquals(200, r.status(), r.body());
        String id = r.header("Mcp-Session-Id");
        assertNotNull(id, "initialize opens a session");
        return id;
    }

    private McpHttp.Reply list(McpHttp on, String token, String sessionId) {
        return on.mcp(PROJECT, token, request(2, "tools/list", null), "MCP-Protocol-Version", "2025-11-25", "Mcp-Session-Id", sessionId);
    }

    @Test
    void sessionWhenOpenedOnOneReplicaThenServedByTheOther() {
        String token = ownerToken();
        String id = initialize(http, token);
        assertEquals(200, list(httpB, token, id).status());
        assertEquals(200, list(http, token, id).status());
    }

    @Test
    void sessionWhenPresentedWithAnotherCredentialThen404() {
        String id = initialize(http, ownerToken());
        McpHttp.Reply r = list(httpB, ownerToken(), id);
        assertEquals(404, r.status(), r.body());
    }

    @Test
    void sessionWhenForgedOrTamperedThen404() {
        String token = ownerToken();
        String id = initialize(http, token);
        String tampered = id.substring(0, id.length() - 2) + (id.endsWith("A") ? "BB" : "AA");
        assertEquals(404, list(http, token, tampered).status());
        assertEquals(404, list(http, token, "s1.bm90aGluZw.AAAA").status());
    }

    @Test
    void sessionWhenDeletedOnOneReplicaThenRefusedOnBothWithinOneSecond() throws InterruptedException {
        String token = ownerToken();
        String id = initialize(http, token);
        assertEquals(200, list(httpB, token, id).status());
        assertEquals(204, http.send("DELETE", "/p/" + PROJECT + "/mcp", "Authorization", "Bearer " + token, "Mcp-Session-Id", id).status());
        assertEquals(404, list(http, token, id).status(), "the replica that took the DELETE refuses at once");
        long deadline = System.nanoTime() + 1_000_000_000L;
        int status;
        do {
            status = list(httpB, token, id).status();
        } while (status != 404 && System.nanoTime() < deadline && pause());
        assertEquals(404, status, "the other replica refused the ended session within 1 s");
        assertEquals(404, httpB.send("DELETE", "/p/" + PROJECT + "/mcp", "Authorization", "Bearer " + token, "Mcp-Session-Id", id).status());
    }

    @Test
    void deleteWhenAnotherCredentialThen404AndSessionLives() {
        String token = ownerToken();
        String id = initialize(http, token);
        assertEquals(404, http.send("DELETE", "/p/" + PROJECT + "/mcp", "Authorization", "Bearer " + ownerToken(), "Mcp-Session-Id", id).status());
        assertEquals(200, list(http, token, id).status());
    }

    @Test
    void deleteWithoutTokenThen401() {
        String id = initialize(http, ownerToken());
        assertEquals(401, http.send("DELETE", "/p/" + PROJECT + "/mcp", "Mcp-Session-Id", id).status());
    }

    @Test
    void requestWithoutSessionHeaderThenStillServed() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(3, "tools/list", null), "MCP-Protocol-Version", "2025-11-25");
        assertEquals(200, r.status());
        assertNull(r.header("Mcp-Session-Id"));
    }

    @Test
    void sessionOfOneProjectWhenPresentedOnAnotherThen404() {
        String token = ownerToken();
        String id = initialize(http, token);
        String other = fakes.token(FakeNeighbours.OWNER, FakeNeighbours.OTHER_PROJECT, FakeNeighbours.ALL_SCOPES);
        McpHttp.Reply r = http.mcp(FakeNeighbours.OTHER_PROJECT, other, request(4, "tools/list", null),
                "MCP-Protocol-Version", "2025-11-25", "Mcp-Session-Id", id);
        assertEquals(404, r.status());
        assertTrue(r.body().contains("Session not found"));
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
