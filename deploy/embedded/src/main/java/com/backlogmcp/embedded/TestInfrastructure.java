package com.backlogmcp.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * PostgreSQL and Kafka for the tests of one JVM, chosen in this order (README, Tests):
 * <ol>
 *   <li>from the environment: {@code DATASOURCE_URL} (+ {@code DATASOURCE_USERNAME}/{@code DATASOURCE_PASSWORD})
 *       and {@code KAFKA_BOOTSTRAP_SERVERS};</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>embedded: zonky PostgreSQL and an in-JVM KRaft broker.</li>
 * </ol>
 * Started lazily on first use, once per JVM, and stopped by {@link InfrastructureSessionListener} when the
 * JUnit launcher session closes (not by a shutdown hook, which races Kafka's own cleanup).
 */
public final class TestInfrastructure {

    private static final Logger LOG = LoggerFactory.getLogger(TestInfrastructure.class);
    private static TestInfrastructure instance;

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String kafkaBootstrapServers;
    private final String origin;
    private final List<AutoCloseable> resources;

    private TestInfrastructure(String jdbcUrl, String username, String password, String kafkaBootstrapServers,
                               String origin, List<AutoCloseable> resources) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.origin = origin;
        this.resources = resources;
    }

    /** The infrastructure of this JVM, started on first call. */
    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            long start = System.nanoTime();
            instance = start();
            LOG.info("test infrastructure ({}) ready in {} ms: postgres {}, kafka {}", instance.origin,
                    (System.nanoTime() - start) / 1_000_000, instance.jdbcUrl, instance.kafkaBootstrapServers);
        }
        return instance;
    }

    static synchronized void shutdown() {
        if (instance != null) {
            instance.closeAll();
            instance = null;
        }
    }

    private static TestInfrastructure start() {
        String envUrl = System.getenv("DATASOURCE_URL");
        String envKafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        List<AutoCloseable> resources = new ArrayList<>();
        String url;
        String user;
        String pass;
        String kafka;
        String origin;
        try {
            boolean docker = (envUrl == null || envKafka == null) && dockerAvailable();
            if (envUrl != null) {
                url = envUrl;
                user = envOr("DATASOURCE_USERNAME", "postgres");
                pass = envOr("DATASOURCE_PASSWORD", "postgres");
            } else if (docker) {
                PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:17-alpine");
                pg.start();
                resources.add(pg::stop);
                url = pg.getJdbcUrl();
                user = pg.getUsername();
                pass = pg.getPassword();
            } else {
                EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, null, false);
                resources.add(pg);
                url = pg.jdbcUrl("backlogmcp");
                user = EmbeddedPostgresServer.USER;
                pass = EmbeddedPostgresServer.PASSWORD;
            }
            if (envKafka != null) {
                kafka = envKafka;
            } else if (docker) {
                KafkaContainer k = new KafkaContainer("apache/kafka:3.9.1");
                k.start();
                resources.add(k::stop);
                kafka = k.getBootstrapServers();
            } else {
                Path logDir = Files.createTempDirectory("kafka-test");
                EmbeddedKafkaServer k = EmbeddedKafkaServer.start(0, 0, logDir);
                resources.add(() -> deleteTree(logDir));
                resources.add(k);
                kafka = k.bootstrapServers();
            }
            origin = envUrl != null && envKafka != null ? "environment" : docker ? "testcontainers" : "embedded";
        } catch (IOException e) {
            resources.reversed().forEach(TestInfrastructure::closeQuietly);
            throw new UncheckedIOException("cannot start test infrastructure", e);
        }
        return new TestInfrastructure(url, user, pass, kafka, origin, resources);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private void closeAll() {
        resources.reversed().forEach(TestInfrastructure::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("error while stopping test infrastructure", e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /** {@code environment}, {@code testcontainers} or {@code embedded}. */
    public String origin() {
        return origin;
    }
}
