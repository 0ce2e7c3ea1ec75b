package com.backlogmcp.local;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end as an agent would: the Node runner ({@code deploy/e2e/run.mjs}, official MCP SDK client +
 * headless Chromium) against a fresh local stack with the demo data, then the audit trail checked from here.
 * A failure names the step that broke (the runner prints {@code STEP <name>: ok|FAILED}).
 */
class AgentEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void agentWhenDrivenThroughTheLocalStackThenEveryStepHolds() throws Exception {
        Path repo = Path.of(System.getProperty("backlogmcp.repo", "../..")).toAbsolutePath().normalize();
        Path target = repo.resolve("deploy/local/target");
        Path dataDir = Files.createTempDirectory(target, "e2e-stack-").toAbsolutePath();
        Path screenshots = target.resolve("screenshots");
        Path summaryFile = target.resolve("e2e-summary.json");
        Files.deleteIfExists(summaryFile);

        try (LoopbackHttps cimdHost = LoopbackHttps.start(target.resolve("cimd"))) {
            int callbackPort = freePort();
            String cimdUrl = cimdHost.url("/agents/backlog-e2e/client.json");
            cimdHost.serveJson("/agents/backlog-e2e/client.json", """
                    {"client_id": "%s", "client_name": "Backlog e2e agent (CIMD)",
                     "client_uri": "%s",
                     "redirect_uris": ["http://127.0.0.1:%d/callback"],
                     "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                     "token_endpoint_auth_method": "none"}""".formatted(cimdUrl, cimdHost.url("/"), callbackPort));

            Map<String, String> env = new HashMap<>(RunningStack.freshPorts());
            env.put("SERVICE_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                    + " -Djavax.net.ssl.trustStore=" + cimdHost.trustStore()
                    + " -Djavax.net.ssl.trustStorePassword=" + cimdHost.trustStorePassword());
            try (RunningStack stack = RunningStack.start(dataDir, env, Duration.ofSeconds(240))) {
                List<String> output = runAgent(repo, Map.of(
                        "MCP_BASE", "http://localhost:" + stack.mcpPort,
                        "ISSUER", "http://localhost:" + stack.authPort,
                        "SCREENSHOT_DIR", screenshots.toString(),
                        "SUMMARY_FILE", summaryFile.toString(),
                        "CIMD_URL", cimdUrl,
                        "CIMD_CALLBACK_PORT", Integer.toString(callbackPort)));
                String failed = output.stream().filter(l -> l.startsWith("E2E FAILED")).findFirst().orElse(null);
                if (failed != null || output.stream().noneMatch(l -> l.startsWith("E2E PASSED"))) {
                    fail((failed != null ? failed : "the agent runner did not finish") + "\n--- runner output ---\n"
                            + String.join("\n", output) + "\n--- stack ---\n" + stack.output());
                }
                JsonNode summary = JSON.readTree(summaryFile.toFile());
                checkAuditTrail(stack, summary);
                checkNoArgumentInLogs(dataDir.resolve("logs"), summary.get("marker").asText());
            }
        }
    }

    private List<String> runAgent(Path repo, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "run.mjs").directory(repo.resolve("deploy/e2e").toFile());
        pb.environment().putAll(env);
        // Chromium's throw-away profile goes under target/, not /tmp.
        Path tmp = repo.resolve("deploy/local/target/tmp");
        Files.createDirectories(tmp);
        pb.environment().put("TMPDIR", tmp.toString());
        return ChildProcessRun.run(pb, "[e2e] ", Duration.ofMinutes(10)).lines();
    }

    /** Exactly one audit row per executed call, and no argument value in clear in any row. */
    private void checkAuditTrail(RunningStack stack, JsonNode summary) throws Exception {
        String marker = summary.get("marker").asText();
        String token = new ServiceTokens(stack.secrets().getProperty("SERVICE_TOKEN_SECRET"))
                .mint(ServiceNames.AUTH, ServiceNames.AUDIT);
        JsonNode executed = summary.get("counts").get("executed");
        for (var it = executed.fields(); it.hasNext(); ) {
            var entry = it.next();
            String projectId = entry.getKey();
            long expected = entry.getValue().asLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long rows;
            List<String> raw;
            do {
                raw = auditRows(stack, token, projectId);
                rows = raw.stream().filter(r -> !r.contains("\"outcome\":\"denied\"")).count();
                if (rows >= expected) {
                    break;
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
            assertEquals(expected, rows, "audit rows of executed calls in " + projectId);
            for (String row : raw) {
                assertFalse(row.contains(marker), "an audit row holds an argument value in clear: " + row);
            }
        }
    }

    private List<String> auditRows(RunningStack stack, String token, String projectId) throws IOException, InterruptedException {
        List<String> rows = new ArrayList<>();
        String cursor = null;
        do {
            String url = stack.url(stack.auditPort, "/internal/audit-log?limit=100&projectId=" + projectId
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode page = JSON.readTree(r.body());
            for (JsonNode e : page.get("entries")) {
                rows.add(JSON.writeValueAsString(e));
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return rows;
    }

    private void checkNoArgumentInLogs(Path logs, String marker) throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                assertFalse(text.contains(marker), "log " + f.getFileName() + " holds an argument value in clear");
            }
        }
        assertTrue(Files.exists(logs.resolve("mcp-service.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
