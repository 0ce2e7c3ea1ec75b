package com.backlogmcp.backlog.admin;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The platform admin API answers only auth-service acting for a platform admin; one test per refusal branch. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> tx;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    Internal.Reply asAuth(MutableHttpRequest<?> request) {
        return new Internal(client, ServiceNames.AUTH).send(request
                .header("X-Acting-User-Id", "usr_platform").header("X-Acting-Platform-Admin", "true"));
    }

    @Test
    void listWhenAuthServiceActsForPlatformAdminThenWorkspacesWithProjects() {
        var p = new Fixtures(tx).project("pro");
        var r = asAuth(HttpRequest.GET("/internal/admin/workspaces"));
        assertEquals(200, r.status());
        @SuppressWarnings("unchecked")
        var workspaces = (List<Map<String, Object>>) r.body().get("workspaces");
        var mine = workspaces.stream().filter(w -> w.get("workspaceId").equals(p.workspaceId())).findFirst().orElseThrow();
        assertEquals("pro", mine.get("plan"));
        assertEquals(List.of(Map.of("projectId", p.projectId(), "name", "Project " + p.projectId().substring(4))), mine.get("projects"));
    }

    @Test
    void patchWhenPlanAddOnAndSuspensionSetThenWorkspaceChangedAndAuthzSeesIt() {
        var p = new Fixtures(tx).project("free");
        var r = asAuth(HttpRequest.PATCH("/internal/admin/workspaces/" + p.workspaceId(),
                "{\"plan\":\"enterprise\",\"mcpEnabled\":false,\"suspended\":true}"));
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("enterprise", r.body().get("plan"));
        assertEquals(false, r.body().get("mcpEnabled"));
        assertEquals(true, r.body().get("suspended"));
        var authz = new Internal(client).get("/internal/authz?projectId=" + p.projectId() + "&userId=" + p.owner());
        assertEquals("enterprise", authz.body().get("plan"));
        assertEquals(true, authz.body().get("suspended"));
        var resumed = asAuth(HttpRequest.PATCH("/internal/admin/workspaces/" + p.workspaceId(), "{\"suspended\":false}"));
        assertEquals(false, resumed.body().get("suspended"));
        assertEquals("enterprise", resumed.body().get("plan"));
    }

    @Test
    void adminApiWhenCallerIsNotAuthServiceThen403() {
        var p = new Fixtures(tx).project();
        var r = new Internal(client, ServiceNames.MCP).send(HttpRequest.PATCH("/internal/admin/workspaces/" + p.workspaceId(),
                "{\"plan\":\"enterprise\"}").header("X-Acting-User-Id", "usr_platform").header("X-Acting-Platform-Admin", "true"));
        assertEquals(403, r.status());
        assertEquals("forbidden", r.body().get("error"));
        assertEquals(403, new Internal(client, ServiceNames.MCP).send(HttpRequest.GET("/internal/admin/workspaces")
                .header("X-Acting-User-Id", "usr_platform").header("X-Acting-Platform-Admin", "true")).status());
    }

    @Test
    void adminApiWhenActingUserMissingThen403() {
        var r = new Internal(client, ServiceNames.AUTH).send(HttpRequest.GET("/internal/admin/workspaces")
                .header("X-Acting-Platform-Admin", "true"));
        assertEquals(403, r.status());
    }

    @Test
    void adminApiWhenActingUserNotPlatformAdminThen403() {
        var p = new Fixtures(tx).project("free");
        var r = new Internal(client, ServiceNames.AUTH).send(HttpRequest.PATCH("/internal/admin/workspaces/" + p.workspaceId(),
                "{\"plan\":\"enterprise\"}").header("X-Acting-User-Id", p.owner()).header("X-Acting-Platform-Admin", "false"));
        assertEquals(403, r.status());
        var authz = new Internal(client).get("/internal/authz?projectId=" + p.projectId());
        assertEquals("free", authz.body().get("plan"), "nothing changed");
    }

    @Test
    void adminApiWhenNoServiceCredentialThen401() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> client.toBlocking().exchange(HttpRequest.GET("/internal/admin/workspaces")
                        .header("X-Acting-User-Id", "usr_platform").header("X-Acting-Platform-Admin", "true")));
        assertEquals(401, e.getStatus().getCode());
    }

    @Test
    void patchWhenUnknownPlanOrFieldOrWrongTypeThen400AndNothingChanged() {
        var p = new Fixtures(tx).project("pro");
        String path = "/internal/admin/workspaces/" + p.workspaceId();
        assertEquals(400, asAuth(HttpRequest.PATCH(path, "{\"plan\":\"platinum\"}")).status());
        assertEquals(400, asAuth(HttpRequest.PATCH(path, "{\"plan\":\"free\",\"owner\":\"me\"}")).status());
        assertEquals(400, asAuth(HttpRequest.PATCH(path, "{\"suspended\":\"yes\"}")).status());
        assertEquals(400, asAuth(HttpRequest.PATCH(path, "{\"plan\":")).status());
        assertEquals("pro", new Internal(client).get("/internal/authz?projectId=" + p.projectId()).body().get("plan"));
    }

    @Test
    void patchWhenUnknownWorkspaceThen404() {
        assertEquals(404, asAuth(HttpRequest.PATCH("/internal/admin/workspaces/wrk_nope", "{\"plan\":\"pro\"}")).status());
    }

    @Test
    void userProjectsWhenMemberOfSomeThenListsThemWithRole() {
        var f = new Fixtures(tx);
        var a = f.project();
        var r = new Internal(client, ServiceNames.AUTH).get("/internal/users/" + a.admin() + "/projects");
        assertEquals(200, r.status());
        @SuppressWarnings("unchecked")
        var projects = (List<Map<String, Object>>) r.body().get("projects");
        assertEquals(1, projects.size());
        assertEquals(a.projectId(), projects.get(0).get("projectId"));
        assertEquals("admin", projects.get(0).get("role"));
        @SuppressWarnings("unchecked")
        var none = (List<?>) new Internal(client, ServiceNames.AUTH).get("/internal/users/usr_nobody/projects").body().get("projects");
        assertTrue(none.isEmpty());
    }
}
