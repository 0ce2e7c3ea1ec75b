package com.backlogmcp.local;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's promise, checked as a new user would: one command, a fresh data directory, everything ready. */
class LocalStackIT {

    private static final Duration START = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void runWhenFreshDataDirThenAllServicesReadyAndRestartKeepsData() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "stack-it-").toAbsolutePath();
        Map<String, String> ports = RunningStack.freshPorts();
        String firstSecret;
        String apiKey;
        JsonNode projectBefore;
        try (RunningStack stack = RunningStack.start(dataDir, ports, START)) {
            for (int port : List.of(stack.mcpPort, stack.authPort, stack.backlogPort, stack.auditPort)) {
                assertEquals(200, get(stack.url(port, "/health/readiness"), null).statusCode(), "readiness of port " + port);
                assertEquals(200, get(stack.url(port, "/health/liveness"), null).statusCode(), "liveness of port " + port);
                assertTrue(get(stack.url(port, "/prometheus"), null).body().contains("jvm_"), "metrics of port " + port);
            }
            assertEquals(401, get(stack.url(stack.backlogPort, "/internal/catalog"), null).statusCode());
            assertEquals(401, post(stack.url(stack.auditPort, "/internal/quota/reserve"), "{}", null).statusCode());

            firstSecret = stack.secrets().getProperty("SERVICE_TOKEN_SECRET");
            String token = new ServiceTokens(firstSecret).mint(ServiceNames.MCP, ServiceNames.BACKLOG);
            HttpResponse<String> catalog = get(stack.url(stack.backlogPort, "/internal/catalog"), token);
            assertEquals(200, catalog.statusCode(), catalog.body());

            // The services reach each other: an API key made on auth-service works at the edge, which introspects it
            // at auth, checks membership at backlog, reserves quota at audit, runs the tool at backlog, and audits
            // through Kafka into audit-service.
            apiKey = DemoAccount.signIn(stack.url(stack.authPort, ""), "owner@acme.test", "demo-owner")
                    .createApiKey("stack test", "prj_acme", List.of("backlog:read"));
            projectBefore = toolCall(stack, apiKey, "get_project");
            assertTrue(projectBefore.has("project"), projectBefore.toString());
            String auditToken = new ServiceTokens(firstSecret).mint(ServiceNames.AUTH, ServiceNames.AUDIT);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String auditLog;
            do {
                auditLog = get(stack.url(stack.auditPort, "/internal/audit-log?projectId=prj_acme"), auditToken).body();
            } while (!auditLog.contains("\"get_project\"") && System.nanoTime() < deadline && sleep(200));
            assertTrue(auditLog.contains("\"get_project\""), "the call reached the audit log through Kafka: " + auditLog);

            int exit = stack.stop(Duration.ofSeconds(90));
            assertTrue(exit == 0 || exit == 143, "clean exit on SIGTERM (0, or 128+15 as the JVM reports it), got " + exit + ":\n" + stack.output());
            assertTrue(stack.output().contains("[local-stack] stopped"), stack.output());
            for (String port : List.of("MCP_PORT", "AUTH_PORT", "BACKLOG_PORT", "AUDIT_PORT", "POSTGRES_PORT", "KAFKA_PORT")) {
                assertTrue(PortGuard.isFree(Integer.parseInt(ports.get(port))), port + " released after stop");
            }
        }

        try (RunningStack again = RunningStack.start(dataDir, ports, START)) {
            assertEquals(firstSecret, again.secrets().getProperty("SERVICE_TOKEN_SECRET"), "secrets kept across restarts");
            assertEquals(200, get(again.url(again.mcpPort, "/health/readiness"), null).statusCode());
            assertEquals(projectBefore, toolCall(again, apiKey, "get_project"),
                    "after a restart the data is kept and the demo seed is not duplicated");
        }
    }

    @Test
    void runWhenPortTakenThenOneLineErrorNamingIt() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "stack-it-port-").toAbsolutePath();
        Map<String, String> ports = RunningStack.freshPorts();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(Integer.parseInt(ports.get("AUDIT_PORT"))));
            Path repo = Path.of(System.getProperty("backlogmcp.repo", "../..")).toAbsolutePath();
            Path target = repo.resolve("deploy/local/target");
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Dbacklogmcp.repo=" + repo, "-cp",
                    target.resolve("classes") + ":" + Files.readString(target.resolve("runtime-classpath.txt")).trim(),
                    LocalStack.class.getName()).redirectErrorStream(true);
            pb.environment().putAll(ports);
            pb.environment().put("DATA_DIR", dataDir.toString());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher exits when a port is taken");
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("error: port " + ports.get("AUDIT_PORT") + " (AUDIT_PORT) is already in use"), out);
            assertFalse(out.contains("Exception"), "no stack trace for a port conflict:\n" + out);
            assertFalse(Files.exists(dataDir.resolve("postgres")), "nothing started before the port check");
        }
    }

    /** A stateless tools/call at the edge (JSON response); answers the result's structuredContent. */
    private JsonNode toolCall(RunningStack stack, String bearer, String tool) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{}}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.url(stack.mcpPort, "/p/prj_acme/mcp")))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = JSON.readTree(r.body()).path("result");
        assertFalse(result.path("isError").asBoolean(true), r.body());
        return result.get("structuredContent");
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
