package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.events.GrantEvent;
import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.KafkaTopics;
import com.backlogmcp.mcp.support.McpHttp;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.mcp.support.FakeNeighbours.ALL_SCOPES;
import static com.backlogmcp.mcp.support.FakeNeighbours.OTHER_PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.OWNER;
import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.FakeNeighbours.PUBLIC_URL;
import static com.backlogmcp.mcp.support.FakeNeighbours.VIEWER;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steps 1–9 of the pipeline (docs/architecture.md §2): one test per step showing that step alone stops a call (and that nothing after it ran:
 * no quota reserved, no tool executed), plus the attacks on them: a token for another project, a forged Host or X-Forwarded-*, an expired or revoked
 * credential, an unknown signing key.
 */
@MicronautTest
class AuthorizationPipelineTest extends EdgeTestBase {

    @Inject
    AuthorizationPipeline pipeline;

    @BeforeAll
    void topics() {
        KafkaTopics.create(Topics.GRANTS, Topics.TOOL_CALLS);
    }

    private McpHttp.Reply call(String token, String tool, Map<String, Object> arguments, String... headers) {
        return http.mcp(PROJECT, token, request(1, "tools/call", params("name", tool, "arguments", arguments)), headers);
    }

    private void assertNothingRan() {
        assertEquals(0, quotaSpent(), "a denied call must not consume quota");
        assertTrue(fakes.toolCalls.isEmpty(), "a denied call must not execute");
    }

    @Test
    void pipelineWhenAssembledThenRunsTheNineStepsInTheirOrder() {
        List<String> steps = pipeline.steps().stream().map(s -> s.order() + ":" + s.getClass().getSimpleName()).toList();
        assertEquals(List.of("1:BearerExtractionStep", "2:CredentialVerificationStep", "3:AudienceStep", "4:ScopeStep",
                "5:MembershipStep", "6:PlanEntitlementStep", "7:ResourceBindingStep", "8:QuotaStep", "9:ForwardStep"), steps);
    }

    @Test
    void callWhenEveryStepPassesThenForwardedAsTheUserInTheUrlProject() {
        McpHttp.Reply r = call(ownerToken(), "get_item", Map.of("id", "itm_1"));
        assertEquals(200, r.status(), r.body());
        Map<String, Object> result = r.result();
        assertEquals(false, result.get("isError"));
        Map<?, ?> structured = (Map<?, ?>) result.get("structuredContent");
        assertEquals(PROJECT, structured.get("projectId"));
        assertEquals(OWNER, structured.get("actingUser"));
        String text = (String) ((Map<?, ?>) ((List<?>) result.get("content")).get(0)).get("text");
        assertEquals(McpHttp.json(structured), text);
        assertEquals(1, quotaSpent());
        assertNotNull(r.header("X-RateLimit-Remaining"));
    }

    // ---- step 1 ------------------------------------------------------------------------------------------

    @Test
    void bearerWhenMissingThen401() {
        McpHttp.Reply r = call(null, "get_item", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("resource_metadata="));
        assertNothingRan();
    }

    @Test
    void bearerWhenTokenOnlyInQueryStringThen401() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp?access_token=" + ownerToken(), null,
                McpHttp.json(request(1, "tools/call", params("name", "get_item", "arguments", Map.of()))));
        assertEquals(401, r.status());
        assertNothingRan();
    }

    @Test
    void bearerWhenBasicSchemeThen401() {
        McpHttp.Reply r = call(null, "get_item", Map.of(), "Authorization", "Basic dXNlcjpwYXNz");
        assertEquals(401, r.status());
        assertNothingRan();
    }

    // ---- step 2 ------------------------------------------------------------------------------------------

    @Test
    void credentialWhenExpiredThen401InvalidToken() {
        String expired = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, "gid_x",
                Instant.now().minus(5, ChronoUnit.MINUTES), fakes.signingKey());
        McpHttp.Reply r = call(expired, "get_item", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        assertNothingRan();
    }

    @Test
    void credentialWhenSignedByUnknownKeyThen401AndJwksFetchIsRateLimited() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger-" + UUID.randomUUID()).generate();
        String forged = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, "gid_x",
                Instant.now().plus(5, ChronoUnit.MINUTES), stranger);
        // Nimbus lets two fetches through per interval (a key rotation needs one more); the first forged call
        // takes the interval's allowance whatever earlier tests left of it, so the count below is deterministic.
        assertEquals(401, call(forged, "get_item", Map.of()).status());
        int before = fakes.jwksFetches.get();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, call(forged, "get_item", Map.of()).status());
        }
        assertTrue(fakes.jwksFetches.get() - before <= 1, "unknown kids must not make us refetch the JWKS every time: " + (fakes.jwksFetches.get() - before) + " fetches");
        assertNothingRan();
    }

    @Test
    void credentialWhenSignedByUnknownKeyReusingKnownKidThen401() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(fakes.signingKey().getKeyID()).generate();
        String forged = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, "gid_x",
                Instant.now().plus(5, ChronoUnit.MINUTES), impostor);
        assertEquals(401, call(forged, "get_item", Map.of()).status());
        assertNothingRan();
    }

    @Test
    void credentialWhenGarbageThen401() {
        assertEquals(401, call("not.a.jwt", "get_item", Map.of()).status());
        assertNothingRan();
    }

    @Test
    void credentialWhenApiKeyActiveThenRunsAsItsOwner() {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        McpHttp.Reply r = call(key, "get_item", Map.of("id", "itm_1"));
        assertEquals(200, r.status(), r.body());
        assertEquals(OWNER, ((Map<?, ?>) r.result().get("structuredContent")).get("actingUser"));
    }

    @Test
    void credentialWhenApiKeyUnknownThen401() {
        assertEquals(401, call("bmcp_doesnotexist", "get_item", Map.of()).status());
        assertNothingRan();
    }

    @Test
    void credentialWhenApiKeyIntrospectedThenAnswerCachedBriefly() {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        int before = fakes.introspections.get();
        call(key, "get_item", Map.of());
        call(key, "get_item", Map.of());
        assertEquals(1, fakes.introspections.get() - before);
    }

    @Test
    void credentialWhenGrantRevokedOnKafkaThenRefusedWithinOneSecond() {
        String grantId = "gid_" + UUID.randomUUID();
        String token = fakes.token(OWNER, PUBLIC_URL + "/p/" + PROJECT + "/mcp", ALL_SCOPES, grantId,
                Instant.now().plus(10, ChronoUnit.MINUTES), fakes.signingKey());
        assertEquals(200, call(token, "get_item", Map.of()).status());
        KafkaTopics.publish(Topics.GRANTS, grantId, new GrantEvent(UUID.randomUUID().toString(), Instant.now(),
                GrantEvent.GRANT_REVOKED, grantId, null, OWNER, PROJECT, "ws_acme", "client", "user"));
        long published = System.nanoTime();
        int status = 200;
        while (System.nanoTime() - published < Duration.ofSeconds(1).toNanos()) {
            status = http.mcp(PROJECT, token, request(2, "ping", null)).status();
            if (status == 401) {
                break;
            }
            sleep(20);
        }
        assertEquals(401, status, "the revoked grant was still accepted one second after the event");
        fakes.toolCalls.clear();
        forgetQuota();
        assertEquals(401, call(token, "get_item", Map.of()).status());
        assertNothingRan();
    }

    @Test
    void credentialWhenApiKeyRevokedOnKafkaThenRefusedDespiteCachedIntrospection() {
        String key = fakes.apiKey(OWNER, "backlog:read", PROJECT, null);
        assertEquals(200, call(key, "get_item", Map.of()).status()); // introspection now cached for 30 s
        String keyId = (String) fakes.apiKeys.get(key).get("key_id");
        KafkaTopics.publish(Topics.GRANTS, keyId, new GrantEvent(UUID.randomUUID().toString(), Instant.now(),
                GrantEvent.KEY_REVOKED, null, keyId, OWNER, PROJECT, null, null, "user"));
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        int status = 200;
        while (status != 401 && System.nanoTime() < deadline) {
            status = http.mcp(PROJECT, key, request(2, "ping", null)).status();
            sleep(20);
        }
        assertEquals(401, status);
    }

    // ---- step 3 ------------------------------------------------------------------------------------------

    @Test
    void audienceWhenTokenForProjectAUsedOnProjectBThen401() {
        String tokenForB = fakes.token(OWNER, OTHER_PROJECT, ALL_SCOPES);
        McpHttp.Reply r = call(tokenForB, "get_item", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("/p/" + PROJECT + "/mcp"));
        assertNothingRan();
    }

    @Test
    void audienceWhenTokenBoundToTheProjectsWorkspaceEndpointUsedOnTheProjectEndpointThen401() {
        String workspaceToken = fakes.token(OWNER, PUBLIC_URL + "/w/ws_acme/mcp", ALL_SCOPES, "gid_ws",
                Instant.now().plus(5, ChronoUnit.MINUTES), fakes.signingKey());
        McpHttp.Reply r = call(workspaceToken, "get_item", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("/p/" + PROJECT + "/mcp"));
        assertNothingRan();
    }

    @Test
    void audienceWhenHostAndForwardedHeadersForgedThenTokenForForgedHostStillRefused() {
        String forgedAudience = fakes.token(OWNER, "http://evil.example/p/" + PROJECT + "/mcp", ALL_SCOPES, "gid_y",
                Instant.now().plus(5, ChronoUnit.MINUTES), fakes.signingKey());
        McpHttp.Reply r = call(forgedAudience, "get_item", Map.of(), "Host", "evil.example",
                "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "http", "Forwarded", "host=evil.example;proto=http");
        assertEquals(401, r.status());
        assertNothingRan();
    }

    @Test
    void audienceWhenHostForgedThenGenuineTokenStillAcceptedAndChallengeUsesConfiguredUrl() {
        McpHttp.Reply ok = call(ownerToken(), "get_item", Map.of(), "Host", "evil.example", "X-Forwarded-Host", "evil.example");
        assertEquals(200, ok.status(), ok.body());
        McpHttp.Reply challenge = call(null, "get_item", Map.of(), "Host", "evil.example", "X-Forwarded-Host", "evil.example");
        assertTrue(challenge.header("WWW-Authenticate").contains(PUBLIC_URL + "/.well-known/oauth-protected-resource/p/" + PROJECT + "/mcp"));
        assertTrue(!challenge.header("WWW-Authenticate").contains("evil.example"));
    }

    @Test
    void audienceWhenApiKeyBoundToAnotherProjectThen401() {
        String key = fakes.apiKey(OWNER, "backlog:read", OTHER_PROJECT, null);
        assertEquals(401, call(key, "get_item", Map.of()).status());
        assertNothingRan();
    }

    @Test
    void audienceWhenApiKeyBoundToTheProjectsWorkspaceThenAccepted() {
        String key = fakes.apiKey(OWNER, "backlog:read", null, "ws_acme");
        assertEquals(200, call(key, "get_item", Map.of()).status());
        String foreign = fakes.apiKey(OWNER, "backlog:read", null, "ws_hobby");
        assertEquals(401, call(foreign, "get_item", Map.of()).status());
    }

    // ---- step 4 ------------------------------------------------------------------------------------------

    @Test
    void scopeWhenMissingThen403StepUpChallengeNamingTheScope() {
        String readOnly = fakes.token(OWNER, PROJECT, "backlog:read");
        McpHttp.Reply r = call(readOnly, "create_item", Map.of("title", "x"));
        assertEquals(403, r.status());
        String challenge = r.header("WWW-Authenticate");
        assertTrue(challenge.contains("error=\"insufficient_scope\""), challenge);
        assertTrue(challenge.contains("backlog:write"), challenge);
        assertTrue(challenge.contains("resource_metadata="), challenge);
        assertEquals("INSUFFICIENT_SCOPE", r.errorType());
        assertNothingRan();
    }

    // ---- step 5 ------------------------------------------------------------------------------------------

    @Test
    void membershipWhenNotAMemberThenNotAMemberError() {
        String outsider = fakes.token("usr_acme_outsider", PROJECT, ALL_SCOPES);
        McpHttp.Reply r = call(outsider, "get_item", Map.of());
        assertEquals(200, r.status());
        assertEquals("NOT_A_MEMBER", r.errorType());
        assertNotNull(((Map<?, ?>) r.error().get("data")).get("hint"));
        assertNothingRan();
    }

    @Test
    void membershipWhenMemberRemovedThenNextCallFailsWithNotAMember() {
        String token = ownerToken();
        assertEquals(200, call(token, "get_item", Map.of()).status());
        fakes.members.get(PROJECT).remove(OWNER);
        fakes.toolCalls.clear();
        forgetQuota();
        McpHttp.Reply r = call(token, "get_item", Map.of());
        assertEquals("NOT_A_MEMBER", r.errorType());
        assertNothingRan();
    }

    @Test
    void membershipWhenRoleTooLowThenForbidden() {
        String viewer = fakes.token(VIEWER, PROJECT, ALL_SCOPES);
        McpHttp.Reply r = call(viewer, "create_item", Map.of("title", "x"));
        assertEquals("FORBIDDEN", r.errorType());
        assertNothingRan();
    }

    // ---- step 6 ------------------------------------------------------------------------------------------

    @Test
    void planWhenFreeAndToolWritesThenPlanReadOnly() {
        String hobby = fakes.token("usr_hobby_owner", OTHER_PROJECT, ALL_SCOPES);
        McpHttp.Reply r = http.mcp(OTHER_PROJECT, hobby, request(1, "tools/call", params("name", "create_item", "arguments", Map.of())));
        assertEquals(200, r.status());
        assertEquals("PLAN_READ_ONLY", r.errorType());
        assertNothingRan();
    }

    @Test
    void planWhenAddOnOffThen403McpDisabled() {
        fakes.setWorkspace(PROJECT, "mcpEnabled", false);
        McpHttp.Reply r = call(ownerToken(), "get_item", Map.of());
        assertEquals(403, r.status());
        assertEquals("MCP_DISABLED", r.errorType());
        assertNothingRan();
    }

    @Test
    void planWhenWorkspaceSuspendedThen423() {
        fakes.setWorkspace(PROJECT, "suspended", true);
        McpHttp.Reply r = call(ownerToken(), "get_item", Map.of());
        assertEquals(423, r.status());
        assertEquals("WORKSPACE_SUSPENDED", r.errorType());
        assertNothingRan();
    }

    // ---- step 7 ------------------------------------------------------------------------------------------

    @Test
    void bindingWhenArgumentNamesAnotherProjectThenNotFoundResultAndNothingRuns() {
        McpHttp.Reply r = call(ownerToken(), "list_items", Map.of("projectId", OTHER_PROJECT));
        assertEquals(200, r.status());
        Map<String, Object> error = r.toolError();
        assertEquals("NOT_FOUND", error.get("error_type"));
        assertNotNull(error.get("message"));
        assertNotNull(error.get("hint"));
        assertNothingRan();
        McpHttp.Reply uri = call(ownerToken(), "get_item", Map.of("ref", "backlog://projects/" + OTHER_PROJECT + "/items"));
        assertEquals("NOT_FOUND", uri.toolError().get("error_type"));
        assertNothingRan();
    }

    @Test
    void bindingWhenBacklogSaysForeignIdThenToolErrorResult() {
        McpHttp.Reply r = call(ownerToken(), "get_item", Map.of("id", "itm_foreign"));
        assertEquals(Map.of("error_type", "NOT_FOUND", "message", "No item itm_foreign in this project", "hint", "Check the id"),
                r.toolError(), "backlog-service's error object, exactly, as the text block");
    }

    // ---- step 8 ------------------------------------------------------------------------------------------

    @Test
    void quotaWhenDailyLimitSpentThenQuotaExceededWithLimitUsedAndReset() {
        fakes.dailyLimit = 1;
        assertEquals(200, call(ownerToken(), "get_item", Map.of()).status());
        fakes.toolCalls.clear();
        McpHttp.Reply r = call(ownerToken(), "get_item", Map.of());
        assertEquals(200, r.status());
        assertEquals("QUOTA_EXCEEDED", r.errorType());
        Map<?, ?> data = (Map<?, ?>) r.error().get("data");
        assertEquals(1, ((Number) data.get("limit")).intValue());
        assertEquals(1, ((Number) data.get("used")).intValue());
        assertNotNull(data.get("resets_at"));
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void quotaWhenRateLimitedThen429WithRetryAfterAndRateHeaders() {
        fakes.rateLimited = true;
        McpHttp.Reply r = call(ownerToken(), "get_item", Map.of());
        assertEquals(429, r.status());
        assertNotNull(r.header("Retry-After"));
        assertEquals("600", r.header("X-RateLimit-Limit"));
        assertEquals("0", r.header("X-RateLimit-Remaining"));
        assertNotNull(r.header("X-RateLimit-Reset"));
        assertEquals("RATE_LIMITED", r.errorType());
        assertTrue(fakes.toolCalls.isEmpty());
    }

    // ---- step 9 and the audit event ------------------------------------------------------------------------

    @Test
    void executeWhenCallRunsThenOneAuditEventWithKeyedCanonicalArgsHash() {
        String requestId = "req-" + UUID.randomUUID();
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"get_item\",\"arguments\":{\"b\":2,\"a\":\"x\"}}}",
                "X-Request-Id", requestId);
        assertEquals(200, r.status(), r.body());
        Map<String, Object> event = KafkaTopics.find(Topics.TOOL_CALLS, e -> requestId.equals(e.get("requestId")), Duration.ofSeconds(15))
                .orElseThrow(() -> new AssertionError("no audit event"));
        assertEquals("get_item", event.get("tool"));
        assertEquals("ok", event.get("outcome"));
        assertEquals(PROJECT, event.get("projectId"));
        assertEquals("ws_acme", event.get("workspaceId"));
        assertEquals(OWNER, event.get("userId"));
        assertNotNull(event.get("grantId"));
        assertEquals(com.backlogmcp.mcp.audit.ArgsHasherTest.expected("{\"a\":\"x\",\"b\":2}"), event.get("argsHash"));
    }

    @Test
    void deniedWhenAfterAuthenticationThenAuditedAsDenied() {
        String requestId = "req-" + UUID.randomUUID();
        String viewer = fakes.token(VIEWER, PROJECT, ALL_SCOPES);
        call(viewer, "create_item", Map.of("title", "x"), "X-Request-Id", requestId);
        Map<String, Object> event = KafkaTopics.find(Topics.TOOL_CALLS, e -> requestId.equals(e.get("requestId")), Duration.ofSeconds(15))
                .orElseThrow(() -> new AssertionError("no audit event for the denied call"));
        assertEquals("denied", event.get("outcome"));
        assertEquals("FORBIDDEN", event.get("errorType"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
