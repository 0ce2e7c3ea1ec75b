package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static com.backlogmcp.mcp.support.FakeNeighbours.PROJECT;
import static com.backlogmcp.mcp.support.McpHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streamable HTTP and the four protocol eras: handshakes, headers, JSON-RPC errors, batches, SSE, origins. */
@MicronautTest
class McpProtocolTest extends EdgeTestBase {

    private static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
    private static final String META_CAPS = "io.modelcontextprotocol/clientCapabilities";

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("micronaut.server.max-request-size", "65536");
    }

    private static Map<String, Object> initialize(String version) {
        return request(1, "initialize", params("protocolVersion", version, "capabilities", Map.of(),
                "clientInfo", Map.of("name", "test", "version", "1")));
    }

    private static Map<String, Object> meta() {
        return Map.of(META_VERSION, "2026-07-28", META_CAPS, Map.of());
    }

    private static int code(McpHttp.Reply r) {
        return ((Number) r.error().get("code")).intValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-26", "2025-06-18", "2025-11-25"})
    void initializeWhenHandshakeEraThenNegotiatesThatVersion(String version) {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), initialize(version));
        assertEquals(200, r.status(), r.body());
        assertEquals(version, r.result().get("protocolVersion"));
        assertTrue(((Map<?, ?>) r.result().get("capabilities")).containsKey("tools"));
        assertNotNull(r.result().get("serverInfo"));
        assertTrue(r.header("Content-Type").startsWith("application/json"));
    }

    @Test
    void initializeWhenUnknownVersionThenOffersLatestHandshakeVersion() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), initialize("2024-01-01"));
        assertEquals("2025-11-25", r.result().get("protocolVersion"));
    }

    @Test
    void initializeWhenProtocolVersionMissingThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(1, "initialize", params("capabilities", Map.of())));
        assertEquals(-32602, code(r));
    }

    @Test
    void notificationWhenInitializedThen202WithoutBody() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), Map.of("jsonrpc", "2.0", "method", "notifications/initialized"),
                "MCP-Protocol-Version", "2025-11-25");
        assertEquals(202, r.status());
        assertTrue(r.body().isEmpty());
    }

    @Test
    void requestAfterHandshakeWhenProtocolHeaderUnsupportedThen400() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(2, "tools/list", null), "MCP-Protocol-Version", "1999-01-01");
        assertEquals(400, r.status());
        assertEquals(-32022, code(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-06-18", "2025-11-25"})
    void requestAfterHandshakeWhenSupportedHeaderThenAnswered(String version) {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(2, "ping", null), "MCP-Protocol-Version", version);
        assertEquals(200, r.status());
        assertEquals(Map.of(), r.result());
    }

    @Test
    void requestWithoutProtocolHeaderThenTreatedAs20250326() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(3, "tools/list", null));
        assertEquals(200, r.status(), r.body());
        assertFalse(((List<?>) r.result().get("tools")).isEmpty());
    }

    @Test
    void discoverWhenStatelessThenListsEveryVersionAndMarksComplete() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request("d1", "server/discover", params("_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover");
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"), r.result().get("supportedVersions"));
        assertEquals("complete", r.result().get("resultType"));
        assertNotNull(r.result().get("capabilities"));
    }

    @Test
    void statelessToolCallWhenHeadersMatchThenRuns() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(),
                request(5, "tools/call", params("name", "get_item", "arguments", Map.of("id", "itm_1"), "_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "get_item");
        assertEquals(200, r.status(), r.body());
        assertEquals(false, r.result().get("isError"));
        assertEquals("complete", r.result().get("resultType"));
    }

    /** A tool call in {@code version}'s era: no header (2025-03-26), a handshake era's header, or the stateless wire. */
    private McpHttp.Reply getItemIn(String version, String id) {
        Map<String, Object> params = params("name", "get_item", "arguments", Map.of("id", id));
        if (version.equals("2025-03-26")) {
            return http.mcp(PROJECT, ownerToken(), request(30, "tools/call", params));
        }
        if (version.equals("2026-07-28")) {
            params.put("_meta", meta());
            return http.mcp(PROJECT, ownerToken(), request(30, "tools/call", params),
                    "MCP-Protocol-Version", version, "Mcp-Method", "tools/call", "Mcp-Name", "get_item");
        }
        return http.mcp(PROJECT, ownerToken(), request(30, "tools/call", params), "MCP-Protocol-Version", version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"})
    void toolCallWhenTheToolFailsThenTheErrorObjectIsTheTextBlockWithoutStructuredContentInEveryEra(String version) {
        McpHttp.Reply failed = getItemIn(version, "itm_foreign");
        Map<String, Object> error = failed.toolError();
        assertEquals("NOT_FOUND", error.get("error_type"), failed.body());
        assertEquals("Check the id", error.get("hint"));

        McpHttp.Reply ok = getItemIn(version, "itm_1");
        assertEquals(false, ok.result().get("isError"), ok.body());
        assertNotNull(ok.result().get("structuredContent"), "a success keeps its structuredContent: " + ok.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void toolCallWhenTheToolFailsInASessionAnsweredOverSseThenTheErrorObjectIsTheTextBlock() throws Exception {
        String token = ownerToken();
        McpHttp.Reply init = http.mcp(PROJECT, token, initialize("2025-11-25"));
        String session = init.header("Mcp-Session-Id");
        assertNotNull(session, init.body());
        McpHttp.Reply r = http.mcp(PROJECT, token, request(31, "tools/call", params("name", "get_item", "arguments", Map.of("id", "itm_foreign"))),
                "MCP-Protocol-Version", "2025-11-25", "Mcp-Session-Id", session, "Accept", "text/event-stream");
        assertEquals(200, r.status(), r.body());
        String data = r.body().lines().filter(l -> l.startsWith("data:")).findFirst().orElseThrow().substring(5).trim();
        Map<String, Object> message = io.micronaut.serde.ObjectMapper.getDefault().readValue(data, Map.class);
        assertEquals("NOT_FOUND", McpHttp.toolErrorOf((Map<String, Object>) message.get("result"), r.body()).get("error_type"));
    }

    @Test
    void statelessWhenProtocolHeaderMissingThenHeaderMismatch() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(6, "tools/list", params("_meta", meta())), "Mcp-Method", "tools/list");
        assertEquals(400, r.status());
        assertEquals(-32020, code(r));
    }

    @Test
    void statelessWhenMcpMethodHeaderDisagreesThenHeaderMismatch() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(7, "tools/list", params("_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "prompts/list");
        assertEquals(400, r.status());
        assertEquals(-32020, code(r));
    }

    @Test
    void statelessWhenMcpNameHeaderDisagreesThenHeaderMismatchAndNothingRuns() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(),
                request(8, "tools/call", params("name", "create_item", "arguments", Map.of(), "_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "get_item");
        assertEquals(400, r.status());
        assertEquals(-32020, code(r));
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void statelessWhenMetaVersionUnsupportedThen400WithSupportedVersions() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(),
                request(9, "tools/list", params("_meta", Map.of(META_VERSION, "2030-01-01", META_CAPS, Map.of()))),
                "MCP-Protocol-Version", "2030-01-01", "Mcp-Method", "tools/list");
        assertEquals(400, r.status());
        assertEquals(-32022, code(r));
        assertTrue(((List<?>) ((Map<?, ?>) r.error().get("data")).get("supported")).contains("2026-07-28"));
    }

    @Test
    void statelessHeaderWithoutMetaThenInvalidParams400() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(10, "tools/list", null),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list");
        assertEquals(400, r.status());
        assertEquals(-32602, code(r));
        assertEquals(10, ((Number) r.json().get("id")).intValue());
    }

    @Test
    void statelessWhenMetaLacksProtocolVersionThenInvalidParams400() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(12, "server/discover", params("_meta", Map.of(META_CAPS, Map.of()))),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover");
        assertEquals(400, r.status());
        assertEquals(-32602, code(r));
    }

    @Test
    void statelessWhenMetaLacksClientCapabilitiesThenInvalidParams400() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(13, "tools/list", params("_meta", Map.of(META_VERSION, "2026-07-28"))),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list");
        assertEquals(400, r.status());
        assertEquals(-32602, code(r));
    }

    @Test
    void statelessWhenMetaVersionDiffersFromHeaderThenHeaderMismatchNotUnsupported() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(),
                request(14, "server/discover", params("_meta", Map.of(META_VERSION, "v999.0.0", META_CAPS, Map.of()))),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover");
        assertEquals(400, r.status());
        assertEquals(-32020, code(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "unknown/method"})
    void statelessWhenRemovedOrUnknownMethodThen404MethodNotFound(String method) {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(15, method, params("_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method);
        assertEquals(404, r.status(), r.body());
        assertEquals(-32601, code(r));
        assertEquals(15, ((Number) r.json().get("id")).intValue());
    }

    @Test
    void handshakeEraWhenUnknownMethodThenMethodNotFoundWith200() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(16, "unknown/method", null), "MCP-Protocol-Version", "2025-11-25");
        assertEquals(200, r.status());
        assertEquals(-32601, code(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tools/list", "prompts/list", "resources/list", "resources/templates/list"})
    void statelessListWhenAnsweredThenPrivateCachingHintsAndServerInfoInMeta(String method) {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(17, method, params("_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method);
        assertEquals(200, r.status(), r.body());
        assertEquals("private", r.result().get("cacheScope"));
        assertEquals(30_000, ((Number) r.result().get("ttlMs")).intValue());
        assertEquals("complete", r.result().get("resultType"));
        Map<?, ?> serverInfo = (Map<?, ?>) ((Map<?, ?>) r.result().get("_meta")).get("io.modelcontextprotocol/serverInfo");
        assertEquals("backlog-mcp", serverInfo.get("name"));
    }

    @Test
    void statelessDiscoverWhenAnsweredThenPublicHintsAndIdentityOnlyInMeta() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request("d2", "server/discover", params("_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover");
        assertEquals("public", r.result().get("cacheScope"));
        assertTrue(((Number) r.result().get("ttlMs")).longValue() > 0);
        assertFalse(r.result().containsKey("serverInfo"));
        assertNotNull(((Map<?, ?>) r.result().get("_meta")).get("io.modelcontextprotocol/serverInfo"));
    }

    @Test
    void statelessToolCallWhenAnsweredThenNoCachingHints() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(),
                request(18, "tools/call", params("name", "get_item", "arguments", Map.of("id", "itm_1"), "_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "get_item");
        assertFalse(r.result().containsKey("ttlMs"));
        assertFalse(r.result().containsKey("cacheScope"));
    }

    @Test
    void resourceReadWhenUnknownUriThenInvalidParamsOnStatelessAndResourceNotFoundBefore() {
        String uri = "test://nonexistent";
        McpHttp.Reply stateless = http.mcp(PROJECT, ownerToken(), request(19, "resources/read", params("uri", uri, "_meta", meta())),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "resources/read", "Mcp-Name", uri);
        assertEquals(-32602, code(stateless));
        McpHttp.Reply handshake = http.mcp(PROJECT, ownerToken(), request(19, "resources/read", params("uri", uri)),
                "MCP-Protocol-Version", "2025-11-25");
        assertEquals(-32002, code(handshake));
    }

    @Test
    void statelessWhenInitializeThenMethodNotFound() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(11, "initialize", params("_meta", meta(), "protocolVersion", "2026-07-28")),
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "initialize");
        assertEquals(-32601, code(r));
    }

    @Test
    void bodyWhenMalformedJsonThenParseError() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), "{\"jsonrpc\": \"2.0\", \"id\": 1,");
        assertEquals(400, r.status());
        assertEquals(-32700, code(r));
    }

    @Test
    void messageWhenNotJsonRpc20ThenInvalidRequest() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}");
        assertEquals(400, r.status());
        assertEquals(-32600, code(r));
    }

    @Test
    void messageWhenIdIsAnObjectThenInvalidRequest() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}");
        assertEquals(400, r.status());
        assertEquals(-32600, code(r));
    }

    @Test
    void methodWhenUnknownThenMethodNotFound() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(12, "tools/explode", null));
        assertEquals(200, r.status());
        assertEquals(-32601, code(r));
    }

    @Test
    void toolCallWhenNameIsNotAStringThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(13, "tools/call", params("name", 42)));
        assertEquals(-32602, code(r));
    }

    @Test
    void toolCallWhenArgumentsAreNotAnObjectThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(14, "tools/call", params("name", "get_item", "arguments", List.of(1))));
        assertEquals(-32602, code(r));
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void toolCallWhenToolUnknownThenInvalidParams() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(15, "tools/call", params("name", "drop_database")));
        assertEquals(-32602, code(r));
    }

    @Test
    void paramsWhenArrayThenInvalidParams() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":[1]}");
        assertEquals(-32602, code(r));
    }

    @Test
    void batchWhen20250326ThenEachRequestAnswered() {
        String body = McpHttp.json(List.of(request(1, "ping", null), Map.of("jsonrpc", "2.0", "method", "notifications/initialized"),
                request(2, "tools/list", null)));
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), body, "MCP-Protocol-Version", "2025-03-26");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.jsonArray().size());
    }

    @Test
    void batchWhenOverTheCapThenRefusedWholeAndNothingRuns() {
        List<Object> messages = new java.util.ArrayList<>();
        for (int i = 0; i <= McpController.MAX_BATCH; i++) {
            messages.add(request(i, "tools/call", params("name", "get_item", "arguments", Map.of("id", "itm_1"))));
        }
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), McpHttp.json(messages), "MCP-Protocol-Version", "2025-03-26");
        assertEquals(400, r.status(), r.body());
        assertEquals(-32600, code(r));
        assertTrue(fakes.toolCalls.isEmpty());
    }

    @Test
    void batchWhenAtTheCapThenEveryMessageAnswered() {
        List<Object> messages = new java.util.ArrayList<>();
        for (int i = 0; i < McpController.MAX_BATCH; i++) {
            messages.add(request(i, "ping", null));
        }
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), McpHttp.json(messages), "MCP-Protocol-Version", "2025-03-26");
        assertEquals(200, r.status(), r.body());
        assertEquals(McpController.MAX_BATCH, r.jsonArray().size());
    }

    @Test
    void batchWhenLaterEraThenInvalidRequest() {
        String body = McpHttp.json(List.of(request(1, "ping", null), request(2, "ping", null)));
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), body, "MCP-Protocol-Version", "2025-06-18");
        assertEquals(400, r.status());
        assertEquals(-32600, code(r));
    }

    @Test
    void getWithoutSessionThen405AndDeleteWithoutSessionThen400() {
        String auth = "Bearer " + ownerToken();
        assertEquals(405, http.send("GET", "/p/" + PROJECT + "/mcp", "Accept", "text/event-stream", "Authorization", auth).status());
        assertEquals(400, http.send("DELETE", "/p/" + PROJECT + "/mcp", "Authorization", auth).status());
        assertEquals(401, http.send("GET", "/p/" + PROJECT + "/mcp", "Accept", "text/event-stream").status());
    }

    @Test
    void bodyWhenLargerThanLimitThen413() {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), big);
        assertEquals(413, r.status());
    }

    @Test
    void contentTypeWhenNotJsonThen415() {
        McpHttp.Reply r = http.post("/p/" + PROJECT + "/mcp", ownerToken(), "{}", "Content-Type", "text/plain");
        assertEquals(415, r.status());
    }

    @Test
    void acceptWhenOnlyEventStreamThenAnsweredAsSse() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(20, "ping", null), "Accept", "text/event-stream");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/event-stream"), r.header("Content-Type"));
        assertTrue(r.body().startsWith("event: message\ndata: {"), r.body());
        assertTrue(r.body().contains("\"id\":20"));
    }

    @Test
    void originWhenForeignThen403() {
        McpHttp.Reply r = http.mcp(PROJECT, ownerToken(), request(21, "ping", null), "Origin", "https://evil.example");
        assertEquals(403, r.status());
    }

    @Test
    void originWhenAllowedThenCorsExposesChallengeHeaders() {
        McpHttp.Reply r = http.mcp(PROJECT, null, request(22, "ping", null), "Origin", "https://app.example");
        assertEquals(401, r.status(), r.body());
        assertEquals("https://app.example", r.header("Access-Control-Allow-Origin"));
        String exposed = r.header("Access-Control-Expose-Headers");
        assertTrue(exposed.contains("WWW-Authenticate") && exposed.contains("MCP-Protocol-Version"), exposed);
    }

    @Test
    void preflightWhenAllowedOriginThenAllowsMcpHeaders() {
        McpHttp.Reply r = http.send("OPTIONS", "/p/" + PROJECT + "/mcp", "Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, mcp-protocol-version");
        assertEquals(204, r.status());
        assertTrue(r.header("Access-Control-Allow-Headers").contains("MCP-Protocol-Version"));
        assertEquals(403, http.send("OPTIONS", "/p/" + PROJECT + "/mcp", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST").status());
    }

    @Test
    void originWhenTheEdgesOwnPublicOriginThenPassesOnEveryWire() {
        assertEquals(200, http.mcp(PROJECT, ownerToken(), request(24, "ping", null), "Origin", FakeNeighbours.PUBLIC_URL,
                "MCP-Protocol-Version", "2025-11-25").status());
        McpHttp.Reply stateless = http.mcp(PROJECT, ownerToken(), request(25, "tools/list", params("_meta", meta())),
                "Origin", FakeNeighbours.PUBLIC_URL, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list");
        assertEquals(200, stateless.status(), stateless.body());
        assertEquals(FakeNeighbours.PUBLIC_URL, stateless.header("Access-Control-Allow-Origin"));
        assertEquals(403, http.mcp(PROJECT, ownerToken(), request(26, "ping", null), "Origin", FakeNeighbours.PUBLIC_URL + ".evil.example",
                "MCP-Protocol-Version", "2025-11-25").status());
    }

    @Test
    void originWhenAbsentThenPasses() {
        assertEquals(200, http.mcp(PROJECT, ownerToken(), request(23, "ping", null)).status());
    }

    @Test
    void metadataWhenFetchedThenNamesExactResourceAndIssuer() {
        McpHttp.Reply r = http.send("GET", "/.well-known/oauth-protected-resource/p/" + PROJECT + "/mcp");
        assertEquals(200, r.status());
        Map<String, Object> m = r.json();
        assertEquals(FakeNeighbours.PUBLIC_URL + "/p/" + PROJECT + "/mcp", m.get("resource"));
        assertEquals(List.of(FakeNeighbours.ISSUER), m.get("authorization_servers"));
        assertTrue(((List<?>) m.get("scopes_supported")).contains("backlog:write"));
        assertEquals(List.of("header"), m.get("bearer_methods_supported"));
    }

    @Test
    void metadataWhenForgedHostThenResourceUnchanged() {
        McpHttp.Reply r = http.send("GET", "/.well-known/oauth-protected-resource/p/" + PROJECT + "/mcp",
                "Host", "evil.example", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "http");
        assertEquals(FakeNeighbours.PUBLIC_URL + "/p/" + PROJECT + "/mcp", r.json().get("resource"));
    }

    @Test
    void requestWhenNoTokenThen401WithResourceMetadataChallenge() {
        McpHttp.Reply r = http.mcp(PROJECT, null, initialize("2025-11-25"));
        assertEquals(401, r.status());
        String challenge = r.header("WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer "), challenge);
        assertTrue(challenge.contains("resource_metadata=\"" + FakeNeighbours.PUBLIC_URL + "/.well-known/oauth-protected-resource/p/" + PROJECT + "/mcp\""), challenge);
        assertTrue(challenge.contains("scope=\""), challenge);
        assertEquals("UNAUTHENTICATED", r.errorType());
    }
}
