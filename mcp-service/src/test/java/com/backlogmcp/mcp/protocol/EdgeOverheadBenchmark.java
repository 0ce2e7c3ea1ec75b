package com.backlogmcp.mcp.protocol;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.backlogmcp.mcp.TestStack;
import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.FakeNeighbours;
import com.backlogmcp.mcp.support.McpHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tools/call get_item at 16 concurrent clients through the edge (JWT verification, live authz, quota reserve,
 * forward, audit event to real Kafka) against the in-process fake neighbours, and the same tool call made
 * directly to the fake backlog-service, so the edge's own cost is visible; then {@code search} across a workspace
 * through the workspace endpoint, with the requests it made to backlog-service per call. Not a test: tagged {@code benchmark}
 * and excluded by default. Run:
 * {@code ./mvnw -B -q verify -pl mcp-service -Dmcp.excludedGroups=none -Dgroups=benchmark -Dtest=EdgeOverheadBenchmark}
 * (results in target/edge-benchmark.txt). The full-stack number (real backlog/audit/auth) is the end-to-end run's.
 */
@Tag("benchmark")
@MicronautTest
class EdgeOverheadBenchmark extends EdgeTestBase {

    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 16);
    private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("benchmark.warmup", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("benchmark.seconds", 15));

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("logger.levels.com.backlogmcp", "WARN");
    }

    /** One measured run; {@code cpuNanos} is this whole JVM's CPU time during it (edge, fakes and load generator). */
    record Result(String name, long calls, double seconds, List<Long> nanos, long cpuNanos) {
        String line() {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return String.format("%-28s %8.0f calls/s   p50 %6.2f ms   p99 %6.2f ms   %5.3f ms CPU per call (%d calls)", name,
                    calls / seconds, sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6,
                    cpuNanos / 1e6 / calls, calls);
        }
    }

    @Test
    void measure() throws Exception {
        fakes.dailyLimit = Long.MAX_VALUE / 2;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = ownerToken();
        String body = McpHttp.json(McpHttp.request(1, "tools/call", params("name", "get_item", "arguments", Map.of("id", "itm_1"))));
        HttpRequest viaEdge = HttpRequest.newBuilder(URI.create(server.getURL() + "/p/" + FakeNeighbours.PROJECT + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String direct = "{\"projectId\":\"" + FakeNeighbours.PROJECT + "\",\"userId\":\"" + FakeNeighbours.OWNER + "\",\"arguments\":{\"id\":\"itm_1\"}}";
        String service = new ServiceTokens(TestStack.SERVICE_SECRET).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
        HttpRequest toBacklog = HttpRequest.newBuilder(URI.create(fakes.url() + "/internal/tools/get_item"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + service)
                .POST(HttpRequest.BodyPublishers.ofString(direct)).build();

        run(client, "warm-up edge", viaEdge, WARMUP);
        run(client, "warm-up backlog", toBacklog, WARMUP);
        int portsBefore = fakes.clientPorts.size();
        Result edge = run(client, "edge tools/call get_item", viaEdge, MEASURE);
        int edgeConnections = fakes.clientPorts.size() - portsBefore;
        Result backlog = run(client, "fake backlog direct", toBacklog, MEASURE);

        String across = McpHttp.json(McpHttp.request(1, "tools/call", params("name", "search", "arguments", Map.of("query", "login"))));
        HttpRequest searchAcross = HttpRequest.newBuilder(URI.create(server.getURL() + "/w/" + FakeNeighbours.WORKSPACE + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25")
                .header("Authorization", "Bearer " + fakes.workspaceToken(FakeNeighbours.OWNER, FakeNeighbours.WORKSPACE, FakeNeighbours.ALL_SCOPES))
                .POST(HttpRequest.BodyPublishers.ofString(across)).build();
        run(client, "warm-up workspace search", searchAcross, WARMUP);
        int toolsBefore = fakes.toolRequests.get();
        int accessBefore = fakes.workspaceAccessRequests.get();
        Result workspace = run(client, "edge search across workspace", searchAcross, MEASURE);
        String perCall = String.format("search across workspace: %.2f tool requests and %.2f workspace access reads per call%n",
                (fakes.toolRequests.get() - toolsBefore) / (double) workspace.calls(),
                (fakes.workspaceAccessRequests.get() - accessBefore) / (double) workspace.calls());

        String report = CLIENTS + " clients, " + MEASURE.toSeconds() + " s each, " + Runtime.getRuntime().availableProcessors() + " CPUs\n"
                + edge.line() + "\n" + backlog.line() + "\n" + workspace.line() + "\n" + perCall
                + "edge opened " + edgeConnections + " new connections to its neighbours during the edge run\n";
        Files.writeString(Path.of("target/edge-benchmark.txt"), report);
        System.out.println(report);
        assertTrue(edge.calls() > 0);
    }

    private static Result run(HttpClient client, String name, HttpRequest request, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long cpuBefore = processCpuNanos();
        long end = System.nanoTime() + duration.toNanos();
        List<Future<List<Long>>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < CLIENTS; i++) {
            futures.add(pool.submit(() -> {
                List<Long> samples = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200 || r.body().contains("\"error\"") || r.body().contains("\"isError\":true")) {
                        throw new IllegalStateException(name + " failed: " + r.statusCode() + " " + r.body());
                    }
                    samples.add(System.nanoTime() - t0);
                }
                return samples;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        pool.shutdown();
        return new Result(name, all.size(), seconds, all, cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
