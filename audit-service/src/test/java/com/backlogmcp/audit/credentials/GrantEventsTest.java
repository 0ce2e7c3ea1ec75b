package com.backlogmcp.audit.credentials;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestDb;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.ToolCallEvents;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Revocations (and creations) of grants and API keys from auth.grants.v1 are noted once each and can be read back. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrantEventsTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;
    @Inject
    ObjectMapper json;

    final String user = "usr_" + UUID.randomUUID();
    final String grant = "gr_" + UUID.randomUUID();
    final String key = "key_" + UUID.randomUUID();
    InternalCalls auth;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.audit-log.group-id", "audit-grants-test-" + UUID.randomUUID());
        return p;
    }

    @BeforeAll
    void publish() throws Exception {
        auth = new InternalCalls(server.getURI(), ServiceNames.AUTH);
        try (ToolCallEvents producer = new ToolCallEvents()) {
            producer.sendTo(Topics.GRANTS, grant, event(user + "-1", "2026-11-20T10:00:00Z", "grant.created", grant, null, null));
            String revoked = event(user + "-2", "2026-11-20T11:00:00Z", "grant.revoked", grant, null, "refresh_reuse");
            producer.sendTo(Topics.GRANTS, grant, revoked);
            producer.sendTo(Topics.GRANTS, grant, revoked);
            producer.sendTo(Topics.GRANTS, key, "{\"eventId\":\"" + user + "-bad\",\"type\":\"key.exploded\"}");
            producer.sendTo(Topics.GRANTS, key, event(user + "-3", "2026-11-20T12:00:00Z", "key.revoked", null, key, "user"));
        }
        TestDb.awaitCount(Duration.ofSeconds(30), n -> n == 3, "SELECT count(*) FROM credential_event WHERE user_id = ?", user);
    }

    private String event(String id, String at, String type, String grantId, String keyId, String reason) {
        return "{\"eventId\":\"" + id + "\",\"at\":\"" + at + "\",\"type\":\"" + type + "\",\"grantId\":"
                + (grantId == null ? "null" : "\"" + grantId + "\"") + ",\"keyId\":" + (keyId == null ? "null" : "\"" + keyId + "\"")
                + ",\"userId\":\"" + user + "\",\"projectId\":\"prj_acme\",\"workspaceId\":\"ws_acme\",\"clientId\":\"client_x\","
                + "\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"") + "}";
    }

    @Test
    void grantEventsWhenRevocationDeliveredTwiceThenNotedOnceWithReason() throws Exception {
        Thread.sleep(300);
        assertEquals(3, TestDb.count("SELECT count(*) FROM credential_event WHERE user_id = ?", user));
        CredentialEvents events = read(auth.get("/internal/audit-log/credential-events?credentialId=" + grant));
        assertEquals(List.of("grant.revoked", "grant.created"), events.events().stream().map(CredentialEvent::type).toList());
        assertEquals("refresh_reuse", events.events().getFirst().reason());
        assertEquals(Instant.parse("2026-11-20T11:00:00Z"), events.events().getFirst().at());
    }

    @Test
    void credentialEventsWhenByUserThenGrantsAndKeysNewestFirst() throws Exception {
        CredentialEvents events = read(auth.get("/internal/audit-log/credential-events?userId=" + user + "&limit=2"));
        assertEquals(List.of(key, grant), events.events().stream().map(CredentialEvent::credentialId).toList());
    }

    @Test
    void credentialEventsWhenNoFilterThen400() {
        HttpResponse<String> r = auth.get("/internal/audit-log/credential-events");
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void credentialEventsWhenNoServiceCredentialThen401() {
        HttpResponse<String> r = auth.send(HttpRequest.newBuilder(
                server.getURI().resolve("/internal/audit-log/credential-events?userId=" + user)).GET().build());
        assertEquals(401, r.statusCode());
    }

    private CredentialEvents read(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return json.readValue(r.body(), CredentialEvents.class);
    }
}
