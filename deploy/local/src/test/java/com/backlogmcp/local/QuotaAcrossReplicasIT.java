package com.backlogmcp.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daily quota is exact across replicas: the local stack plus a second audit-service and a second edge (the
 * second edge leases from the second audit-service, so the two edges share nothing but the ledger's database),
 * 64 concurrent callers split over the two edges, each calling until it is refused. Exactly the limit's worth of
 * calls runs, never one more, and none is lost while every replica is healthy.
 */
class QuotaAcrossReplicasIT {

    private static final int LIMIT = 120;
    private static final int CALLERS = 64;
    private static final Duration START = Duration.ofSeconds(300);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void quotaWhen64CallersOverTwoEdgesAndTwoLedgersThenExactlyTheLimitRuns() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "quota-it-").toAbsolutePath();
        Map<String, String> env = RunningStack.freshPorts();
        Map<String, String> limits = new HashMap<>();
        for (String plan : List.of("FREE", "PRO", "BUSINESS", "ENTERPRISE")) {
            limits.put("QUOTA_DAILY_" + plan, Integer.toString(LIMIT));
        }
        limits.put("RATE_LIMIT_PER_MINUTE", "1000000");
        limits.put("LOG_LEVEL", "WARN");
        env.putAll(limits);
        Path repo = Path.of(System.getProperty("backlogmcp.repo", "../..")).toAbsolutePath().normalize();
        List<ServiceProcess> extra = new ArrayList<>();
        try (RunningStack stack = RunningStack.start(dataDir, env, START)) {
            Map<String, String> base = new LocalStack(StackSettings.fromEnvironment(stack.env, repo))
                    .serviceEnvironment(LocalSecrets.loadOrCreate(dataDir, stack.env));
            base.putAll(limits);
            int audit2 = freePort();
            int edge2 = freePort();
            Map<String, String> auditEnv = new HashMap<>(base);
            auditEnv.put("AUDIT_PORT", Integer.toString(audit2));
            Map<String, String> edgeEnv = new HashMap<>(base);
            edgeEnv.put("MCP_PORT", Integer.toString(edge2));
            edgeEnv.put("AUDIT_URL", "http://127.0.0.1:" + audit2);
            ServiceProcess secondAudit = new ServiceProcess("audit-service", repo.resolve("audit-service"),
                    "com.backlogmcp.audit.Application", audit2, dataDir.resolve("logs/audit-service-2.log"));
            ServiceProcess secondEdge = new ServiceProcess("mcp-service", repo.resolve("mcp-service"),
                    "com.backlogmcp.mcp.Application", edge2, dataDir.resolve("logs/mcp-service-2.log"));
            extra.add(secondAudit);
            extra.add(secondEdge);
            secondAudit.start(auditEnv, "-Xmx256m", dataDir.resolve("tmp/audit-2"));
            secondEdge.start(edgeEnv, "-Xmx256m", dataDir.resolve("tmp/edge-2"));
            Instant deadline = Instant.now().plus(START);
            secondAudit.awaitReady(deadline);
            secondEdge.awaitReady(deadline);

            String apiKey = DemoAccount.signIn(stack.url(stack.authPort, ""), "owner@acme.test", "demo-owner")
                    .createApiKey("quota replicas", "prj_acme", List.of("backlog:read"));
            List<String> edges = List.of(stack.url(stack.mcpPort, "/p/prj_acme/mcp"), "http://localhost:" + edge2 + "/p/prj_acme/mcp");

            AtomicInteger executed = new AtomicInteger();
            AtomicInteger exceeded = new AtomicInteger();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                String edge = edges.get(i % 2);
                done.add(callers.submit(() -> {
                    go.await();
                    for (int n = 0; n < LIMIT + 10; n++) {
                        HttpResponse<String> r = call(edge, apiKey);
                        JsonNode reply = JSON.readTree(r.body());
                        if (r.statusCode() == 200 && reply.has("result") && !reply.path("result").path("isError").asBoolean(true)) {
                            executed.incrementAndGet();
                        } else if ("QUOTA_EXCEEDED".equals(reply.path("error").path("data").path("error_type").asText())) {
                            exceeded.incrementAndGet();
                            return null;
                        } else {
                            unexpected.add(r.statusCode() + " " + r.body());
                            return null;
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            callers.shutdown();
            assertTrue(unexpected.isEmpty(), "every answer is a result or QUOTA_EXCEEDED: " + unexpected);
            assertEquals(CALLERS, exceeded.get(), "every caller ends refused");
            assertEquals(LIMIT, executed.get(), "exactly the daily limit of calls ran across both edges and both ledgers");
            // Once spent, it stays spent on both edges.
            for (String edge : edges) {
                HttpResponse<String> after = call(edge, apiKey);
                assertEquals("QUOTA_EXCEEDED", JSON.readTree(after.body()).path("error").path("data").path("error_type").asText(), after.body());
            }
        } finally {
            for (ServiceProcess p : extra) {
                p.stop(Duration.ofSeconds(30));
            }
        }
    }

    private HttpResponse<String> call(String edge, String apiKey) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"get_project\",\"arguments\":{}}}";
        return http.send(HttpRequest.newBuilder(URI.create(edge)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
