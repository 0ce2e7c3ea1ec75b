package com.backlogmcp.local;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks through the real stack over plain HTTP, one stack shared with {@link FaultInjectionIT}: OAuth, tokens,
 * redirects, CSRF, framing, SSRF, privilege and input. The services' own tests prove each check in isolation; this
 * suite proves the deployed services, wired as they run, answer each attack with the exact refusal.
 */
@ExtendWith(SharedStack.Resolver.class)
class AttackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:47999/callback";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static SharedStack stack;
    private static String client;
    private static DemoAccount member;
    private static String resource;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void registerAndSignIn(SharedStack shared) throws Exception {
        stack = shared;
        resource = stack.mcpUrl(SharedStack.PROJECT);
        HttpResponse<String> reg = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.authUrl("/oauth/register")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + REDIRECT + "\"],"
                        + "\"token_endpoint_auth_method\":\"none\",\"client_name\":\"Attack suite\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, reg.statusCode(), reg.body());
        client = JSON.readTree(reg.body()).get("client_id").asText();
        member = DemoAccount.signIn(stack.authUrl(""), "member@acme.test", "demo-member");
    }

    // ---- OAuth ---------------------------------------------------------------------------------------------------

    @Test
    void authorizeWhenCodeChallengeMissingThenInvalidRequestAtTheClient() throws Exception {
        HttpResponse<String> r = member.get(authorizePath(client, REDIRECT, resource, null, null, "s1"));
        assertEquals(302, r.statusCode(), r.body());
        Map<String, String> back = query(location(r));
        assertTrue(location(r).startsWith(REDIRECT + "?"), location(r));
        assertEquals("invalid_request", back.get("error"));
        assertEquals("s1", back.get("state"));
    }

    @Test
    void authorizeWhenPkcePlainThenInvalidRequestAtTheClient() throws Exception {
        HttpResponse<String> r = member.get(authorizePath(client, REDIRECT, resource, "a".repeat(43), "plain", "s2"));
        assertEquals(302, r.statusCode(), r.body());
        assertEquals("invalid_request", query(location(r)).get("error"));
    }

    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageAndNoRedirect() throws Exception {
        HttpResponse<String> r = member.get(authorizePath(client, "https://evil.example/cb", resource, challenge(verifier()), "S256", "s3"));
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("Location").isEmpty(), "never redirected to an unregistered target");
        assertTrue(r.body().contains("Invalid redirect URI"), r.body());
    }

    @Test
    void authorizeWhenResourceIsNotOurEndpointThenInvalidTarget() throws Exception {
        HttpResponse<String> r = member.get(authorizePath(client, REDIRECT, "https://evil.example/p/prj_acme/mcp",
                challenge(verifier()), "S256", "s4"));
        assertEquals(302, r.statusCode(), r.body());
        assertEquals("invalid_target", query(location(r)).get("error"));
    }

    @Test
    void tokenWhenVerifierWrongThenInvalidGrant() throws Exception {
        String verifier = verifier();
        String code = approvedCode(member, verifier, "backlog:read");
        JsonNode r = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", client, "code_verifier", verifier(), "resource", resource), 400);
        assertEquals("invalid_grant", r.get("error").asText());
    }

    @Test
    void tokenWhenCodeReplayedThenInvalidGrantAndTheFirstGrantIsRevoked() throws Exception {
        String verifier = verifier();
        String code = approvedCode(member, verifier, "backlog:read");
        Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", client, "code_verifier", verifier, "resource", resource);
        JsonNode first = token(exchange, 200);
        assertEquals("invalid_grant", token(exchange, 400).get("error").asText());
        JsonNode refresh = token(Map.of("grant_type", "refresh_token", "refresh_token", first.get("refresh_token").asText(),
                "client_id", client), 400);
        assertEquals("invalid_grant", refresh.get("error").asText(), "the replay revoked what the first use issued");
        assertEquals(401, callAs(first.get("access_token").asText(), SharedStack.PROJECT, "get_project", "{}").statusCode(),
                "the first access token is revoked at the edge too");
    }

    @Test
    void tokenWhenRedirectUriDiffersFromTheAuthorizationThenInvalidGrant() throws Exception {
        String verifier = verifier();
        String code = approvedCode(member, verifier, "backlog:read");
        JsonNode r = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT + "/other",
                "client_id", client, "code_verifier", verifier, "resource", resource), 400);
        assertEquals("invalid_grant", r.get("error").asText());
    }

    @Test
    void tokenWhenResourceDiffersFromTheAuthorizationThenInvalidTarget() throws Exception {
        String verifier = verifier();
        String code = approvedCode(member, verifier, "backlog:read");
        JsonNode r = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", client, "code_verifier", verifier, "resource", stack.mcpUrl(SharedStack.OTHER_PROJECT)), 400);
        assertEquals("invalid_target", r.get("error").asText());
    }

    // ---- tokens at the edge ----------------------------------------------------------------------------------------

    @Test
    void edgeWhenTokenOfAnotherProjectThen401InvalidToken() throws Exception {
        String token = accessToken(member, "backlog:read");
        assertEquals(200, callAs(token, SharedStack.PROJECT, "get_project", "{}").statusCode());
        HttpResponse<String> r = callAs(token, SharedStack.OTHER_PROJECT, "get_project", "{}");
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"), r.headers().map().toString());
    }

    @Test
    void edgeWhenAudienceIsNotAnMcpEndpointThen401() throws Exception {
        // A service credential is a bearer token too, but minted for a service, not for this endpoint.
        HttpResponse<String> r = callAs(stack.serviceToken(ServiceNames.MCP, ServiceNames.BACKLOG), SharedStack.PROJECT, "get_project", "{}");
        assertEquals(401, r.statusCode(), r.body());
    }

    @Test
    void edgeWhenTokenRevokedThen401WithinASecond() throws Exception {
        JsonNode tokens = tokens(member, "backlog:read");
        String access = tokens.get("access_token").asText();
        assertEquals(200, callAs(access, SharedStack.PROJECT, "get_project", "{}").statusCode());
        HttpResponse<String> revoke = http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/oauth/revoke")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(DemoAccount.formBody(Map.of("token", tokens.get("refresh_token").asText(),
                        "token_type_hint", "refresh_token", "client_id", client)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoke.statusCode(), revoke.body());
        Instant revoked = Instant.now();
        int status;
        do {
            status = callAs(access, SharedStack.PROJECT, "get_project", "{}").statusCode();
        } while (status == 200 && Duration.between(revoked, Instant.now()).toMillis() < 5000);
        assertEquals(401, status, "the revoked grant's access token is refused");
        System.out.println("attack figures: revoked access token refused at the edge after "
                + Duration.between(revoked, Instant.now()).toMillis() + " ms");
    }

    @Test
    void edgeWhenAlgNoneOrHs256ConfusionThen401() throws Exception {
        String real = accessToken(member, "backlog:read");
        String payload = real.split("\\.")[1];
        String none = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".";
        assertEquals(401, callAs(none, SharedStack.PROJECT, "get_project", "{}").statusCode(), "alg none");
        // The classic confusion: HMAC-signed with the server's public key as the shared secret.
        String jwks = http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/.well-known/jwks.json"))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String kid = JSON.readTree(jwks).path("keys").path(0).path("kid").asText();
        String header = b64(("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(jwks.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hs = header + "." + payload + "." + b64(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertEquals(401, callAs(hs, SharedStack.PROJECT, "get_project", "{}").statusCode(), "HS256 with the public key");
        // A real signature over claims changed afterwards (here: an expiry pushed a day out).
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(payload));
        ((com.fasterxml.jackson.databind.node.ObjectNode) claims).put("exp", claims.get("exp").asLong() + 86400);
        String[] parts = real.split("\\.");
        String tampered = parts[0] + "." + b64(JSON.writeValueAsBytes(claims)) + "." + parts[2];
        assertEquals(401, callAs(tampered, SharedStack.PROJECT, "get_project", "{}").statusCode(), "claims changed after signing");
    }

    // ---- redirects, CSRF, framing -------------------------------------------------------------------------------------

    @Test
    void loginWhenReturnPathPointsElsewhereThenStaysOnThisSite() throws Exception {
        for (String hostile : List.of("//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)")) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/login"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookies = String.join("; ", page.headers().allValues("set-cookie").stream().map(c -> c.split(";", 2)[0]).toList());
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                    .POST(HttpRequest.BodyPublishers.ofString(DemoAccount.formBody(Map.of("email", "member@acme.test",
                            "password", "demo-member", "login_csrf", DemoAccount.hidden(page.body(), "login_csrf"), "return_to", hostile))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, login.statusCode(), hostile + ": " + login.body());
            String target = location(login);
            assertTrue(target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/\\"),
                    hostile + " must not leave the site, went to " + target);
        }
    }

    @Test
    void consentWhenPostedWithoutOrWithWrongCsrfTokenThen403AndNoCode() throws Exception {
        String verifier = verifier();
        Map<String, String> form = new HashMap<>(Map.of("response_type", "code", "client_id", client, "redirect_uri", REDIRECT,
                "requested_scope", "backlog:read", "state", "csrf", "code_challenge", challenge(verifier),
                "code_challenge_method", "S256", "resource", resource, "scope", "backlog:read", "decision", "approve"));
        HttpResponse<String> none = member.postForm("/oauth/authorize", form);
        assertEquals(403, none.statusCode(), none.body());
        assertTrue(none.headers().firstValue("Location").isEmpty());
        form.put("csrf_token", "forged");
        HttpResponse<String> wrong = member.postForm("/oauth/authorize", form);
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertTrue(wrong.headers().firstValue("Location").isEmpty());
    }

    @Test
    void accountFormsWhenPostedWithoutCsrfTokenThen403() throws Exception {
        HttpResponse<String> key = member.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/account/api-keys/api")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"forged\",\"projectId\":\"prj_acme\",\"scopes\":[\"backlog:read\"]}")), true);
        assertEquals(403, key.statusCode(), key.body());
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=member%40acme.test&password=demo-member")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, login.statusCode(), "login without its CSRF field: " + login.body());
    }

    @Test
    void pagesWhenFramedThenRefusedByHeaders() throws Exception {
        List<HttpResponse<String>> pages = List.of(
                http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/login"))).GET().build(), HttpResponse.BodyHandlers.ofString()),
                member.get("/account/api-keys"),
                member.get(authorizePath(client, REDIRECT, resource, challenge(verifier()), "S256", "f")));
        for (HttpResponse<String> r : pages) {
            String path = r.uri().getPath();
            assertEquals(200, r.statusCode(), path + " is a page");
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), path);
        }
    }

    // ---- SSRF ----------------------------------------------------------------------------------------------------------

    @Test
    void authorizeWhenClientIdIsAMetadataUrlOnThisMachineThenRefusedWithoutFetching() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer document = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        document.createContext("/", ex -> {
            fetched.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        document.start();
        try {
            int port = document.getAddress().getPort();
            for (String clientId : List.of("https://127.0.0.1:" + port + "/client.json", "https://localhost:" + port + "/client.json",
                    "https://[::ffff:127.0.0.1]:" + port + "/client.json", "https://169.254.169.254/latest/meta-data",
                    "http://127.0.0.1:" + port + "/client.json")) {
                HttpResponse<String> r = member.get(authorizePath(clientId, REDIRECT, resource, challenge(verifier()), "S256", "x"));
                assertEquals(400, r.statusCode(), clientId + ": " + r.body());
                assertTrue(r.headers().firstValue("Location").isEmpty(), clientId);
                assertTrue(r.body().contains("Unknown application"), clientId + ": " + r.body());
            }
            assertEquals(0, fetched.get(), "no request reached the address behind a metadata URL");
        } finally {
            document.stop(0);
        }
    }

    // ---- privilege -----------------------------------------------------------------------------------------------------

    @Test
    void edgeWhenViewerCallsAWriteToolThenForbidden() throws Exception {
        String key = DemoAccount.signIn(stack.authUrl(""), "viewer@acme.test", "demo-viewer")
                .createApiKey("attack viewer", SharedStack.PROJECT, List.of("backlog:read", "backlog:write"));
        String marker = "attack-viewer-" + Long.toString(System.nanoTime(), 36);
        HttpResponse<String> r = callAs(key, SharedStack.PROJECT, "create_item", "{\"title\":\"" + marker + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("FORBIDDEN", JSON.readTree(r.body()).path("error").path("data").path("error_type").asText(), r.body());
        assertEquals(0, itemsTitled(marker), "nothing was written");
    }

    @Test
    void edgeWhenKeyOfAnotherProjectThen401() throws Exception {
        String key = DemoAccount.signIn(stack.authUrl(""), "owner@hobby.test", "demo-owner")
                .createApiKey("attack other project", SharedStack.OTHER_PROJECT, List.of("backlog:read"));
        assertEquals(200, callAs(key, SharedStack.OTHER_PROJECT, "get_project", "{}").statusCode());
        HttpResponse<String> r = callAs(key, SharedStack.PROJECT, "get_project", "{}");
        assertEquals(401, r.statusCode(), r.body());
    }

    @Test
    void keyCreationWhenNotAMemberOfTheProjectThenRefused() throws Exception {
        DemoAccount outsider = DemoAccount.signIn(stack.authUrl(""), "outsider@acme.test", "demo-outsider");
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> outsider.createApiKey("attack outsider", SharedStack.PROJECT, List.of("backlog:read")));
        assertTrue(refused.getMessage().contains("400"), refused.getMessage());
    }

    @Test
    void internalEndpointsWhenNoOrWrongServiceCredentialThen401() throws Exception {
        Map<String, Integer> internal = Map.of(
                stack.url(stack.settings.backlogPort(), "/internal/catalog"), stack.settings.backlogPort(),
                stack.url(stack.settings.auditPort(), "/internal/audit-log?projectId=prj_acme"), stack.settings.auditPort());
        for (String url : internal.keySet()) {
            assertEquals(401, get(url, null).statusCode(), url + " without a credential");
            assertEquals(401, get(url, accessToken(member, "backlog:read")).statusCode(), url + " with an agent's token");
        }
        // A credential minted for another service is refused: backlog's audience is not audit's.
        assertEquals(401, get(stack.url(stack.settings.auditPort(), "/internal/audit-log?projectId=prj_acme"),
                stack.serviceToken(ServiceNames.MCP, ServiceNames.BACKLOG)).statusCode());
        assertEquals(200, get(stack.url(stack.settings.auditPort(), "/internal/audit-log?projectId=prj_acme"),
                stack.serviceToken(ServiceNames.AUTH, ServiceNames.AUDIT)).statusCode(), "the right credential passes");
    }

    // ---- input ---------------------------------------------------------------------------------------------------------

    @Test
    void edgeWhenBodyIsNotJsonThenParseError() throws Exception {
        String key = ownerKey();
        HttpResponse<String> r = post(resource, key, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(-32700, JSON.readTree(r.body()).path("error").path("code").asInt(), r.body());
    }

    @Test
    void edgeWhenBodyOversizedThen413() throws Exception {
        String key = ownerKey();
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_item\",\"arguments\":{\"title\":\"x\",\"description\":\""
                + "a".repeat(2 * 1024 * 1024) + "\"}}}";
        HttpResponse<String> r = post(resource, key, huge);
        assertEquals(413, r.statusCode(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
    }

    @Test
    void toolWhenArgumentsHaveControlCharactersOrWrongTypesThenValidationErrorAndNothingWritten() throws Exception {
        String key = ownerKey();
        String marker = "attack-input-" + Long.toString(System.nanoTime(), 36);
        for (String arguments : List.of("{\"title\":\"" + marker + "\\u0000nul\"}", "{\"title\":123}",
                "{\"title\":\"" + marker + "\",\"priority\":\"urgent!!\"}", "{\"title\":\"" + marker + "\",\"labels\":\"not-a-list\"}")) {
            HttpResponse<String> r = callAs(key, SharedStack.PROJECT, "create_item", arguments);
            assertEquals(200, r.statusCode(), arguments + ": " + r.body());
            JsonNode reply = JSON.readTree(r.body());
            String type = reply.has("error") ? reply.path("error").path("data").path("error_type").asText()
                    : ToolErrors.errorType(reply.path("result"));
            assertEquals("VALIDATION_ERROR", type, arguments + ": " + r.body());
        }
        assertEquals(0, itemsTitled(marker + "%"), "no half-write");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------------

    private static String ownerKeyValue;

    private static synchronized String ownerKey() throws Exception {
        if (ownerKeyValue == null) {
            ownerKeyValue = DemoAccount.signIn(stack.authUrl(""), "owner@acme.test", "demo-owner")
                    .createApiKey("attack owner", SharedStack.PROJECT, List.of("backlog:read", "backlog:write"));
        }
        return ownerKeyValue;
    }

    private String accessToken(DemoAccount user, String scope) throws Exception {
        return tokens(user, scope).get("access_token").asText();
    }

    private JsonNode tokens(DemoAccount user, String scope) throws Exception {
        String verifier = verifier();
        String code = approvedCode(user, verifier, scope);
        return token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "client_id", client,
                "code_verifier", verifier, "resource", resource), 200);
    }

    /** Authorization through the real consent page: GET it, then approve with its CSRF token. */
    private String approvedCode(DemoAccount user, String verifier, String scope) throws Exception {
        String state = "st" + RANDOM.nextInt(1_000_000);
        HttpResponse<String> consent = user.get(authorizePath(client, REDIRECT, resource, challenge(verifier), "S256", state) + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> form = new HashMap<>(Map.of("response_type", "code", "client_id", client, "redirect_uri", REDIRECT,
                "requested_scope", scope, "state", state, "code_challenge", challenge(verifier), "code_challenge_method", "S256",
                "resource", resource, "scope", scope, "decision", "approve"));
        form.put("csrf_token", DemoAccount.hidden(consent.body(), "csrf_token"));
        HttpResponse<String> decided = user.postForm("/oauth/authorize", form);
        assertEquals(302, decided.statusCode(), decided.body());
        Map<String, String> back = query(location(decided));
        assertEquals(state, back.get("state"), location(decided));
        return back.get("code");
    }

    private JsonNode token(Map<String, String> form, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.authUrl("/oauth/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(DemoAccount.formBody(form))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), "token answers are never cached");
        return JSON.readTree(r.body());
    }

    private static String authorizePath(String clientId, String redirect, String resource, String challenge, String method, String state) {
        StringBuilder b = new StringBuilder("/oauth/authorize?response_type=code&client_id=").append(enc(clientId))
                .append("&redirect_uri=").append(enc(redirect)).append("&state=").append(enc(state))
                .append("&resource=").append(enc(resource));
        if (challenge != null) {
            b.append("&code_challenge=").append(enc(challenge));
        }
        if (method != null) {
            b.append("&code_challenge_method=").append(enc(method));
        }
        return b.toString();
    }

    private HttpResponse<String> callAs(String bearer, String projectId, String tool, String arguments) throws Exception {
        return post(stack.mcpUrl(projectId), bearer, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + "}}");
    }

    private HttpResponse<String> post(String url, String bearer, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int itemsTitled(String pattern) throws Exception {
        try (var c = stack.backlogDatabase(); var st = c.prepareStatement("SELECT count(*) FROM items WHERE title LIKE ?")) {
            st.setString(1, pattern);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String location(HttpResponse<String> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + r.statusCode() + " " + r.body()));
    }

    private static Map<String, String> query(String location) {
        Map<String, String> out = new HashMap<>();
        String q = URI.create(location).getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String verifier() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b64(b);
    }

    private static String challenge(String verifier) throws Exception {
        return b64(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
