package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.Fixtures;
import com.backlogmcp.backlog.Internal;
import com.backlogmcp.backlog.TestStack;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthzControllerTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TransactionOperations<Connection> dataSource;

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @Test
    void authzWhenMemberThenRoleAndWorkspaceFlags() {
        var p = new Fixtures(dataSource).project("pro", true, false);
        var r = new Internal(client).get("/internal/authz?projectId=" + p.projectId() + "&userId=" + p.admin());
        assertEquals(200, r.status());
        assertEquals("admin", r.body().get("role"));
        assertEquals(p.workspaceId(), r.body().get("workspaceId"));
        assertEquals("pro", r.body().get("plan"));
        assertEquals(true, r.body().get("mcpEnabled"));
        assertEquals(false, r.body().get("suspended"));
        assertEquals(p.projectId(), r.body().get("projectId"));
    }

    @Test
    void authzWhenNotAMemberThenRoleNull() {
        var p = new Fixtures(dataSource).project();
        var r = new Internal(client).get("/internal/authz?projectId=" + p.projectId() + "&userId=" + p.outsider());
        assertEquals(200, r.status());
        assertNull(r.body().get("role"));
    }

    @Test
    void authzWhenNoUserThenRoleNull() {
        var p = new Fixtures(dataSource).project("free", false, true);
        var r = new Internal(client).get("/internal/authz?projectId=" + p.projectId());
        assertEquals(200, r.status());
        assertNull(r.body().get("role"));
        assertEquals(false, r.body().get("mcpEnabled"));
        assertEquals(true, r.body().get("suspended"));
    }

    @Test
    void authzWhenUnknownProjectThen404() {
        var r = new Internal(client).get("/internal/authz?projectId=prj_nope&userId=usr_x");
        assertEquals(404, r.status());
        assertEquals("not_found", r.body().get("error"));
    }

    @Test
    void authzWhenMemberRemovedThenNextAnswerSaysNotAMember() {
        var fixtures = new Fixtures(dataSource);
        var p = fixtures.project();
        var internal = new Internal(client);
        assertEquals("member", internal.get("/internal/authz?projectId=" + p.projectId() + "&userId=" + p.member()).body().get("role"));
        fixtures.sql(sql -> sql.update("DELETE FROM members WHERE project_id = ? AND user_id = ?", p.projectId(), p.member()));
        assertNull(internal.get("/internal/authz?projectId=" + p.projectId() + "&userId=" + p.member()).body().get("role"));
    }
}
