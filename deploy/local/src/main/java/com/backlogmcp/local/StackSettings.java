package com.backlogmcp.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the launcher takes from its environment (README's configuration section), with the documented defaults.
 *
 * @param repo           repository root: where each service's {@code target/} is
 * @param dataDir        {@code DATA_DIR}: PostgreSQL data, Kafka log, generated secrets, service logs
 * @param startupTimeout {@code STARTUP_TIMEOUT_SECONDS}: how long services may take to become ready
 */
record StackSettings(
        Path repo,
        Path dataDir,
        int mcpPort,
        int authPort,
        int backlogPort,
        int auditPort,
        int postgresPort,
        int kafkaPort,
        int kafkaControllerPort,
        String publicHost,
        Duration startupTimeout,
        String serviceJavaOpts) {

    static StackSettings fromEnvironment(Map<String, String> env, Path repo) {
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", repo.resolve(".local-data").toString()));
        return new StackSettings(
                repo.toAbsolutePath().normalize(),
                (dataDir.isAbsolute() ? dataDir : repo.resolve(dataDir)).toAbsolutePath().normalize(),
                port(env, "MCP_PORT", 8080),
                port(env, "AUTH_PORT", 8081),
                port(env, "BACKLOG_PORT", 8082),
                port(env, "AUDIT_PORT", 8083),
                port(env, "POSTGRES_PORT", 15432),
                port(env, "KAFKA_PORT", 19092),
                port(env, "KAFKA_CONTROLLER_PORT", 19093),
                env.getOrDefault("PUBLIC_HOST", "localhost"),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("STARTUP_TIMEOUT_SECONDS", "180"))),
                env.getOrDefault("SERVICE_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new StackException(name + "=" + v + " is not a port number");
        }
    }

    String mcpPublicUrl() {
        return "http://" + publicHost + ":" + mcpPort;
    }

    String issuerUrl() {
        return "http://" + publicHost + ":" + authPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + LocalStack.DATABASE;
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }
}
