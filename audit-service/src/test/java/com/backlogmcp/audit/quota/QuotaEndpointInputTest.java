package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rejection branch of {@code POST /internal/quota/reserve}: a 4xx with a JSON body, and nothing counted. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaEndpointInputTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    InternalCalls calls;
    String project;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.audit-log.consumer-enabled", "false");
        return p;
    }

    @BeforeAll
    void client() {
        calls = new InternalCalls(server.getURI());
        project = "prj_" + UUID.randomUUID();
    }

    @Test
    void reserveWhenNoServiceCredentialThen401() {
        HttpResponse<String> r = calls.send(HttpRequest.newBuilder(server.getURI().resolve("/internal/quota/reserve"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(InternalCalls.reserveJson(project, "g", "free"))).build());
        assertEquals(401, r.statusCode());
        assertJsonError(r);
        assertNothingCounted();
    }

    @Test
    void reserveWhenCredentialAddressedToAnotherServiceThen401() {
        String token = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        HttpResponse<String> r = calls.send(HttpRequest.newBuilder(server.getURI().resolve("/internal/quota/reserve"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(InternalCalls.reserveJson(project, "g", "free"))).build());
        assertEquals(401, r.statusCode());
        assertNothingCounted();
    }

    @Test
    void reserveWhenMalformedJsonThen400() {
        assertRejected(400, "{\"projectId\":\"" + project + "\",");
    }

    @Test
    void reserveWhenUnknownFieldThen400() {
        assertRejected(400, "{\"projectId\":\"" + project + "\",\"credentialId\":\"g\",\"plan\":\"free\",\"arguments\":{\"q\":1}}");
    }

    @Test
    void reserveWhenWrongTypeThen400() {
        assertRejected(400, "{\"projectId\":{\"id\":\"" + project + "\"},\"credentialId\":\"g\",\"plan\":\"free\"}");
    }

    @Test
    void reserveWhenMissingCredentialThen400() {
        assertRejected(400, "{\"projectId\":\"" + project + "\",\"plan\":\"free\"}");
    }

    @Test
    void reserveWhenUnknownPlanThen400() {
        assertRejected(400, InternalCalls.reserveJson(project, "g", "platinum"));
    }

    @Test
    void reserveWhenIdTooLongThen400() {
        assertRejected(400, InternalCalls.reserveJson(project, "g".repeat(201), "free"));
    }

    @Test
    void reserveWhenBodyNotAnObjectThen400() {
        assertRejected(400, "[1,2,3]");
    }

    @Test
    void reserveWhenBodyOversizedThen413() {
        String huge = "{\"projectId\":\"" + project + "\",\"credentialId\":\"" + "x".repeat(2 * 1024 * 1024)
                + "\",\"plan\":\"free\"}";
        assertRejected(413, huge);
    }

    @Test
    void reserveWhenNotJsonContentTypeThen415() {
        HttpResponse<String> r = calls.send(HttpRequest.newBuilder(server.getURI().resolve("/internal/quota/reserve"))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.AUDIT))
                .POST(HttpRequest.BodyPublishers.ofString(InternalCalls.reserveJson(project, "g", "free"))).build());
        assertEquals(415, r.statusCode(), r.body());
        assertNothingCounted();
    }

    private void assertRejected(int status, String body) {
        HttpResponse<String> r = calls.post("/internal/quota/reserve", body);
        assertEquals(status, r.statusCode(), r.body());
        assertJsonError(r);
        assertNothingCounted();
    }

    private static void assertJsonError(HttpResponse<String> r) {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertTrue(r.body().trim().startsWith("{"), r.body());
    }

    private void assertNothingCounted() {
        try (Connection c = com.backlogmcp.audit.TestDb.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM daily_quota WHERE project_id = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
