package com.backlogmcp.deploy.k8s;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml follows the same rule as the Kubernetes manifests: each service container gets
 * only variables its service reads, and every variable it must have. Containers are matched to
 * modules by the image build argument SERVICE.
 */
class ComposeFileTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text) {
        // SnakeYAML resolves the anchors and "<<" merge keys compose files use.
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    /** Problems of one compose document; its service containers are those built with deploy/docker/Dockerfile. */
    @SuppressWarnings("unchecked")
    static List<String> check(Map<String, Object> compose, Function<String, ServiceConfiguration> configurationOf) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Set<String> built = new TreeSet<>();
        for (var entry : services.entrySet()) {
            Map<String, Object> service = (Map<String, Object>) entry.getValue();
            if (!(service.get("build") instanceof Map<?, ?> build)) continue;
            if (!"deploy/docker/Dockerfile".equals(build.get("dockerfile"))) {
                problems.add(entry.getKey() + " is not built with deploy/docker/Dockerfile");
                continue;
            }
            Map<String, Object> args = (Map<String, Object>) build.get("args");
            String module = args == null ? null : String.valueOf(args.get("SERVICE"));
            if (!entry.getKey().equals(module)) {
                problems.add(entry.getKey() + " builds module " + module + "; name the compose service after its module");
                continue;
            }
            built.add(module);
            ServiceConfiguration config = configurationOf.apply(module);
            Map<String, Object> env = service.get("environment") instanceof Map<?, ?> e ? (Map<String, Object>) e : Map.of();
            for (String variable : env.keySet()) {
                if (!config.reads(variable)) problems.add(entry.getKey() + " sets " + variable + " which " + module + " does not read");
            }
            for (String variable : config.requiredInCluster()) {
                if (!env.containsKey(variable)) problems.add(module + " reads " + variable + " but docker-compose.yml does not set it for " + entry.getKey());
            }
            if (!Boolean.TRUE.equals(service.get("read_only"))) problems.add(entry.getKey() + " does not run with a read-only root filesystem");
        }
        if (!built.equals(ManifestChecks.CALLS.keySet())) problems.add("compose builds " + built + ", expected the four services");
        return problems;
    }

    @Test
    void composeWhenCheckedThenEveryServiceGetsExactlyWhatItReads() throws IOException {
        var compose = load(Files.readString(Repository.ROOT.resolve("docker-compose.yml")));
        List<String> problems = check(compose, Repository::configuration);
        assertTrue(problems.isEmpty(), () -> "docker-compose.yml:\n  - " + String.join("\n  - ", problems));
    }

    @Test
    void composeWhenVariableUnreadOrRequiredMissingThenReported() throws IOException {
        var compose = load(Files.readString(Repository.ROOT.resolve("docker-compose.yml")));
        @SuppressWarnings("unchecked")
        var services = (Map<String, Map<String, Object>>) (Map<String, ?>) compose.get("services");
        @SuppressWarnings("unchecked")
        var auditEnv = (Map<String, Object>) services.get("audit-service").get("environment");
        auditEnv.put("AUDIT_TURBO", "1");
        @SuppressWarnings("unchecked")
        var mcpEnv = (Map<String, Object>) services.get("mcp-service").get("environment");
        mcpEnv.remove("AUTH_URL");
        mcpEnv.remove("SERVICE_TOKEN_SECRET");
        List<String> problems = check(compose, Repository::configuration);
        assertTrue(problems.contains("audit-service sets AUDIT_TURBO which audit-service does not read"), problems::toString);
        assertTrue(problems.contains("mcp-service reads SERVICE_TOKEN_SECRET but docker-compose.yml does not set it for mcp-service"), problems::toString);
        if (Repository.configuration("mcp-service").reads("AUTH_URL")) {
            assertTrue(problems.contains("mcp-service reads AUTH_URL but docker-compose.yml does not set it for mcp-service"), problems::toString);
        }
    }

    @Test
    void loadWhenAnchorsAndMergeKeysThenResolved() {
        var compose = load("""
                x: &base
                  A: "1"
                services:
                  s:
                    environment:
                      <<: *base
                      B: "2"
                """);
        @SuppressWarnings("unchecked")
        var s = (Map<String, Map<String, Object>>) compose.get("services");
        assertEquals(Map.of("A", "1", "B", "2"), s.get("s").get("environment"));
    }
}
