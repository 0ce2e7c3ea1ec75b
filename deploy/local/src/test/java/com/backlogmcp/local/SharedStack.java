package com.backlogmcp.local;

import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One local stack run inside the test JVM — the launcher's own {@link LocalStack}, so PostgreSQL and Kafka are
 * in reach and can be stopped and started again, and each service is a process the test can signal — shared by
 * the fault and attack suites: it is started by the first suite that asks and stopped when the JUnit run ends.
 */
final class SharedStack implements ExtensionContext.Store.CloseableResource {

    static final String PROJECT = "prj_acme";
    static final String OTHER_PROJECT = "prj_hobby";

    final LocalStack stack;
    final StackSettings settings;
    final Path dataDir;
    final String serviceSecret;

    private SharedStack(LocalStack stack, StackSettings settings, Path dataDir, String serviceSecret) {
        this.stack = stack;
        this.settings = settings;
        this.dataDir = dataDir;
        this.serviceSecret = serviceSecret;
    }

    /** The stack of this JUnit run, started on first use. */
    static SharedStack of(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedStack.class, k -> start(), SharedStack.class);
    }

    private static SharedStack start() {
        try {
            Path dataDir = Files.createTempDirectory(Path.of("target"), "shared-stack-").toAbsolutePath();
            Map<String, String> env = new HashMap<>(RunningStack.freshPorts());
            env.put("DATA_DIR", dataDir.toString());
            Path repo = Path.of(System.getProperty("backlogmcp.repo", "../..")).toAbsolutePath().normalize();
            StackSettings settings = StackSettings.fromEnvironment(env, repo);
            Map<String, String> overrides = new HashMap<>();
            // The suites measure faults and attacks, not the plan limits: no call is refused for quota or rate.
            for (String plan : List.of("FREE", "PRO", "BUSINESS", "ENTERPRISE")) {
                overrides.put("QUOTA_DAILY_" + plan, "-1");
            }
            overrides.put("RATE_LIMIT_PER_MINUTE", "1000000");
            overrides.put("LOG_LEVEL", "WARN");
            // As in production: the attack suite proves that metadata URLs on private addresses are refused.
            overrides.put("CIMD_ALLOW_PRIVATE_ADDRESSES", "false");
            LocalStack stack = new LocalStack(settings, overrides);
            try {
                stack.start();
            } catch (Exception e) {
                stack.close();
                throw e;
            }
            String secret = LocalSecrets.loadOrCreate(dataDir, System.getenv()).get("SERVICE_TOKEN_SECRET");
            return new SharedStack(stack, settings, dataDir, secret);
        } catch (Exception e) {
            throw new IllegalStateException("the shared stack did not start", e);
        }
    }

    String mcpUrl(String projectId) {
        return "http://localhost:" + settings.mcpPort() + "/p/" + projectId + "/mcp";
    }

    String authUrl(String path) {
        return "http://localhost:" + settings.authPort() + path;
    }

    String url(int port, String path) {
        return "http://localhost:" + port + path;
    }

    /** A service credential as {@code from} would present it to {@code to} ({@link com.backlogmcp.contracts.servicetoken.ServiceNames}). */
    String serviceToken(String from, String to) {
        return new ServiceTokens(serviceSecret).mint(from, to);
    }

    /** backlog-service's schema, for reading back what a call changed. */
    Connection backlogDatabase() throws SQLException {
        Connection c = DriverManager.getConnection(settings.jdbcUrl(), "postgres", "postgres");
        c.setSchema("backlog");
        return c;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Hands the shared stack to a suite's {@code @BeforeAll} method. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return SharedStack.of(context);
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
