package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.support.EdgeTestBase;
import com.backlogmcp.mcp.support.FakeNeighbours;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official TypeScript SDK client (pinned in src/test/node/package.json) drives the edge through the fake
 * neighbours. Needs Node and {@code npm ci} in src/test/node, so it is tagged {@code sdk} and excluded from the
 * default build; run it with {@code ./mvnw -B -q verify -pl mcp-service -Dgroups=sdk -Dtest=SdkClientSmokeTest}.
 */
@Tag("sdk")
@MicronautTest
class SdkClientSmokeTest extends EdgeTestBase {

    @Test
    void officialClientWhenConnectingWithTokenThenListsAndCallsToolsAndReadsAToolError() throws Exception {
        Path dir = Path.of("src/test/node");
        String url = server.getURL() + "/p/" + FakeNeighbours.PROJECT + "/mcp";
        Process p = new ProcessBuilder("node", "sdk-smoke.mjs", url, ownerToken()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"protocolVersion\":\"2025-11-25\""), out);
        assertTrue(out.contains("\"create_item\""), out);
        assertTrue(out.contains("\"tool\":\"get_item\"") && out.contains("\"tool\":\"create_item\""), out);
        Map<?, ?> failed = (Map<?, ?>) ObjectMapper.getDefault().readValue(out.strip().lines().reduce((a, b) -> b).orElseThrow(), Map.class)
                .get("failed");
        assertEquals(Map.of("isError", true, "hasStructuredContent", false, "error",
                Map.of("error_type", "NOT_FOUND", "message", "No item itm_foreign in this project", "hint", "Check the id")), failed,
                "a tool error resolves in the client, its error object read from the text block");
        assertEquals(3, fakes.toolCalls.size());
        Files.writeString(Path.of("target/sdk-smoke.json"), out);
    }
}
