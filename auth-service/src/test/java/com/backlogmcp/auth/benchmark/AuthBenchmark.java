package com.backlogmcp.auth.benchmark;

import com.backlogmcp.auth.OAuthClientSupport;
import com.backlogmcp.auth.OAuthClientSupport.Pkce;
import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.grant.AuthorizationCodeStore;
import com.backlogmcp.auth.user.Passwords;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Throughput and latency of the hot auth paths, printed (never asserted). Excluded from the normal build; run with
 * {@code ./mvnw -B -q verify -pl auth-service -Dtest=AuthBenchmark -Dauth.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code auth-service/target/surefire-reports/com.backlogmcp.auth.benchmark.AuthBenchmark-output.txt}.
 */
@Tag("benchmark")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthBenchmark implements TestPropertyProvider {

    static final int CALLERS = 8;
    static final long WARMUP_MS = 5_000;
    static final long RUN_MS = 15_000;
    static final String REDIRECT = "http://127.0.0.1:1/cb";

    @Inject
    EmbeddedServer server;
    @Inject
    AuthorizationCodeStore codes;
    @Inject
    Passwords passwords;
    final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @Test
    void benchmark() throws Exception {
        // Argon2id: one hash and one verify, single thread
        String hash = passwords.hash("benchmark-password");
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            passwords.verify("benchmark-password", hash);
        }
        System.out.printf("BENCH argon2id verify: %.1f ms/op%n", (System.nanoTime() - t0) / 20 / 1e6);

        OAuthClientSupport c = new OAuthClientSupport(server.getURL().toString());
        String client = (String) JSONObjectUtils.parse(c.postJson("/oauth/register",
                "{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}").body()).get("client_id");
        String base = server.getURL().toString();

        // refresh_token grant: each caller walks its own rotation chain (spend + insert + sign ES256)
        List<String[]> chains = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Pkce pkce = Pkce.create();
            String code = codes.issue(client, "usr_bench", REDIRECT, pkce.challenge(), "http://mcp.test/p/prj_acme/mcp", "prj_acme", "ws_acme", "backlog:read");
            String refresh = (String) JSONObjectUtils.parse(c.postForm("/oauth/token", "grant_type=authorization_code&code=" + q(code)
                    + "&redirect_uri=" + q(REDIRECT) + "&code_verifier=" + q(pkce.verifier()) + "&client_id=" + q(client)).body()).get("refresh_token");
            chains.add(new String[]{refresh});
        }
        run("POST /oauth/token refresh_token (rotation + ES256)", i -> () -> {
            String[] chain = chains.get(i);
            HttpResponse<String> r = post(base + "/oauth/token", "grant_type=refresh_token&refresh_token=" + q(chain[0]) + "&client_id=" + q(client), null);
            try {
                chain[0] = (String) JSONObjectUtils.parse(r.body()).get("refresh_token");
            } catch (Exception e) {
                throw new IllegalStateException(r.body(), e);
            }
            return r.statusCode();
        });

        // introspection of an access token (ES256 verify + grant lookup) with a service credential
        String access = (String) JSONObjectUtils.parse(post(base + "/oauth/token", "grant_type=refresh_token&refresh_token="
                + q(chains.get(0)[0]) + "&client_id=" + q(client), null).body()).get("access_token");
        String service = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.AUTH);
        run("POST /oauth/introspect access token", i -> () -> post(base + "/oauth/introspect", "token=" + q(access), service).statusCode());
        // what every edge replica asks four times a second: the revocations after its cursor, usually none
        String afterEnd = "/internal/revocations?after=" + Long.MAX_VALUE / 2;
        run("GET /internal/revocations (nothing new)", i -> () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + afterEnd)).header("Authorization", "Bearer " + service)
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        run("GET /oauth/jwks", i -> () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + "/oauth/jwks")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    HttpResponse<String> post(String url, String form, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface CallerFactory {
        Supplier<Integer> caller(int index);
    }

    void run(String name, CallerFactory factory) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] cpuFrom = {-1};
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.currentTimeMillis();
        long measureFrom = start + WARMUP_MS;
        long end = measureFrom + RUN_MS;
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Supplier<Integer> call = factory.caller(i);
            futures.add(pool.submit(() -> {
                int errors = 0;
                while (System.currentTimeMillis() < end) {
                    long s = System.nanoTime();
                    int status = call.get();
                    long took = System.nanoTime() - s;
                    if (status != 200) {
                        errors++;
                    }
                    if (System.currentTimeMillis() >= measureFrom) {
                        synchronized (cpuFrom) {
                            if (cpuFrom[0] < 0) {
                                cpuFrom[0] = os.getProcessCpuTime();
                            }
                        }
                        latencies.add(took);
                    }
                }
                return errors;
            }));
        }
        int errors = 0;
        for (Future<Integer> f : futures) {
            errors += f.get();
        }
        pool.shutdown();
        // client and server share this JVM, so this is an upper bound of the server's CPU per request
        double cpuMsPerRequest = (os.getProcessCpuTime() - cpuFrom[0]) / 1e6 / Math.max(1, latencies.size());
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("BENCH %s: %d callers, %.0f req/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, non-200 %d,"
                        + " CPU %.2f ms/req (client + server)%n",
                name, CALLERS, sorted.size() * 1000.0 / RUN_MS, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                sorted.get(sorted.size() - 1) / 1e6, errors, cpuMsPerRequest);
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
