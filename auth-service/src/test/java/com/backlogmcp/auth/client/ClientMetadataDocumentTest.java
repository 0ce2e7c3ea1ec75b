package com.backlogmcp.auth.client;

import com.backlogmcp.auth.Browser;
import com.backlogmcp.auth.FakeBacklog;
import com.backlogmcp.auth.OAuthClientSupport;
import com.backlogmcp.auth.OAuthClientSupport.Pkce;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.contracts.demo.DemoFixture;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client ID Metadata Documents fetched from a local HTTPS server (self-signed certificate trusted through the
 * {@code cimd} TLS context; private addresses allowed by the local-development switch, as in the local stack).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientMetadataDocumentTest implements TestPropertyProvider {

    static final String SPEC = "ClientMetadataDocumentTest";
    static final String REDIRECT = "http://127.0.0.1:45111/cb";
    static final char[] PASS = "changeit".toCharArray();
    static SSLContext clientTls;

    @Factory
    @Requires(property = "spec.name", value = SPEC)
    static class Tls {
        @Singleton
        @Named("cimd")
        SSLContext cimdTls() {
            return clientTls;
        }
    }

    FakeBacklog backlog;
    HttpsServer documents;
    final AtomicInteger fetches = new AtomicInteger();
    @Inject
    EmbeddedServer server;
    String base;
    String docBase;

    @Override
    public Map<String, String> getProperties() {
        try {
            startDocumentServer();
            backlog = new FakeBacklog();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("spec.name", SPEC);
        p.put("micronaut.http.services.backlog.url", backlog.url());
        p.put("backlogmcp.auth.seed-demo-data", "true");
        p.put("backlogmcp.auth.cimd-allow-private-addresses", "true");
        return p;
    }

    void startDocumentServer() throws Exception {
        Path store = Path.of("target", "cimd-test.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cimd", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertEquals(0, keytool.waitFor());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        documents = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        documents.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        docBase = "https://127.0.0.1:" + documents.getAddress().getPort();
        documents.createContext("/", ex -> {
            try (ex) {
                fetches.incrementAndGet();
                String path = ex.getRequestURI().getPath();
                String self = docBase + path;
                String body;
                int status = 200;
                if (path.equals("/trickle.json")) {
                    trickle(ex);
                    return;
                }
                switch (path) {
                    case "/agent.json" -> body = "{\"client_id\":\"" + self + "\",\"client_name\":\"Doc Agent\",\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}";
                    case "/mismatch.json" -> body = "{\"client_id\":\"https://other.example/agent.json\",\"redirect_uris\":[\"" + REDIRECT + "\"]}";
                    case "/huge.json" -> body = "{\"client_id\":\"" + self + "\",\"redirect_uris\":[\"" + REDIRECT + "\"],\"pad\":\"" + "x".repeat(40_000) + "\"}";
                    case "/secret.json" -> body = "{\"client_id\":\"" + self + "\",\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}";
                    case "/moved.json" -> {
                        status = 302;
                        body = "";
                        ex.getResponseHeaders().set("Location", docBase + "/agent.json");
                    }
                    default -> {
                        status = 404;
                        body = "{}";
                    }
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    ex.getResponseBody().write(bytes);
                }
            }
        });
        documents.setExecutor(Executors.newCachedThreadPool());
        documents.start();
    }

    /** Headers at once, then one byte of a valid-looking document every 100 ms, for as long as the client listens. */
    static void trickle(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try {
            for (int i = 0; i < 600; i++) {
                ex.getResponseBody().write(' ');
                ex.getResponseBody().flush();
                Thread.sleep(100);
            }
        } catch (java.io.IOException | InterruptedException e) {
            // the client hung up: what the deadline is for
        }
    }

    @BeforeAll
    void start() {
        base = server.getURL().toString();
    }

    @AfterAll
    void stop() {
        documents.stop(0);
        backlog.close();
    }

    String authorize(String clientId, Pkce pkce) {
        return "/oauth/authorize?response_type=code&client_id=" + q(clientId) + "&redirect_uri=" + q(REDIRECT)
                + "&state=s&code_challenge=" + q(pkce.challenge()) + "&code_challenge_method=S256&scope=backlog%3Aread"
                + "&resource=" + q("http://mcp.test/p/prj_acme/mcp");
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Test
    void cimdWhenDocumentValidThenConsentNamesUrlAndTokensIssuedAndDocumentCached() throws Exception {
        String clientId = docBase + "/agent.json";
        Browser b = new Browser(base);
        b.login(DemoFixture.ACME_MEMBER.email(), DemoFixture.ACME_MEMBER.password(), null);
        Pkce pkce = Pkce.create();
        int before = fetches.get();
        HttpResponse<String> consent = b.get(authorize(clientId, pkce));
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains(clientId));
        assertTrue(consent.body().contains("Doc Agent"));
        List<String[]> form = new ArrayList<>();
        Browser.hiddenFields(consent.body()).forEach((k, v) -> form.add(new String[]{k, v}));
        form.add(new String[]{"scope", "backlog:read"});
        form.add(new String[]{"decision", "approve"});
        HttpResponse<String> decision = b.post("/oauth/authorize", form);
        assertEquals(302, decision.statusCode(), decision.body());
        String code = URLUtils.parseParameters(URI.create(decision.headers().firstValue("Location").orElseThrow()).getRawQuery()).get("code").get(0);
        HttpResponse<String> token = new OAuthClientSupport(base).postForm("/oauth/token", "grant_type=authorization_code&code=" + q(code)
                + "&redirect_uri=" + q(REDIRECT) + "&code_verifier=" + q(pkce.verifier()) + "&client_id=" + q(clientId));
        assertEquals(200, token.statusCode(), token.body());
        assertEquals(clientId, com.nimbusds.jwt.SignedJWT.parse((String) JSONObjectUtils.parse(token.body()).get("access_token"))
                .getJWTClaimsSet().getStringClaim("client_id"));
        assertEquals(before + 1, fetches.get(), "fetched once, then served from the cache");
    }

    @Test
    void cimdWhenDocumentRedirectsThenRefusedWithoutFollowing() throws Exception {
        assertRefused("/moved.json", "redirects are not followed");
    }

    @Test
    void cimdWhenDocumentTooLargeThenRefused() throws Exception {
        assertRefused("/huge.json", "larger than");
    }

    @Test
    void cimdWhenClientIdDiffersFromUrlThenRefused() throws Exception {
        assertRefused("/mismatch.json", "does not equal its URL");
    }

    @Test
    void cimdWhenDocumentDeclaresSecretAuthThenRefused() throws Exception {
        assertRefused("/secret.json", "public client");
    }

    @Test
    void cimdWhenBodyTricklesThenRefusedAtTheDeadline() throws Exception {
        assertRefused("/trickle.json", "did not arrive within");
    }

    @Test
    void cimdWhenLookUpFailedThenFailureCachedBriefly() throws Exception {
        int before = fetches.get();
        assertRefused("/missing.json", "HTTP 404");
        assertRefused("/missing.json", "HTTP 404");
        assertEquals(before + 1, fetches.get(), "the second look-up is answered from the failure cache");
    }

    @Test
    void fetchWhenHostResolvesToLoopbackOrTunnelledAddressThenRefusedBeforeConnecting() throws Exception {
        int before = fetches.get();
        int port = documents.getAddress().getPort();
        try (MetadataDocumentFetcher guarded = new MetadataDocumentFetcher(PublicAddresses::isPublic, java.net.InetAddress::getAllByName,
                clientTls, Duration.ofSeconds(3))) {
            for (String host : new String[]{"localhost", "127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]"}) {
                var refused = assertThrows(ClientMetadataDocuments.InvalidDocument.class,
                        () -> guarded.fetch(URI.create("https://" + host + ":" + port + "/agent.json")), host);
                assertTrue(refused.getMessage().contains("not public"), host + ": " + refused.getMessage());
            }
        }
        assertEquals(before, fetches.get(), "nothing reached the document server");
    }

    @Test
    void fetchWhenDnsAnswersDifferentlyLaterThenConnectsToTheAddressItChecked() throws Exception {
        // A rebinding DNS server: the first answer is the allowed address, any later one an address that is refused
        // (127.0.0.2 has no listener here). Resolving once and connecting to the checked address succeeds; a second
        // resolution for the connection would not.
        InetAddress allowed = InetAddress.getByName("127.0.0.1");
        AtomicInteger lookups = new AtomicInteger();
        MetadataDocumentFetcher.HostLookup rebinding = host -> new InetAddress[]{
                lookups.getAndIncrement() == 0 ? allowed : InetAddress.getByName("127.0.0.2")};
        try (MetadataDocumentFetcher fetcher = new MetadataDocumentFetcher(allowed::equals, rebinding, clientTls, Duration.ofSeconds(3))) {
            String body = fetcher.fetch(URI.create("https://localhost:" + documents.getAddress().getPort() + "/agent.json"));
            assertTrue(body.contains("Doc Agent"), body);
        }
        assertEquals(1, lookups.get());
    }

    void assertRefused(String path, String reason) throws Exception {
        HttpResponse<String> r = new Browser(base).get(authorize(docBase + path, Pkce.create()));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty());
        assertTrue(r.body().contains(reason), r.body());
    }
}
