package com.backlogmcp.local;

import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.embedded.EmbeddedKafkaServer;
import com.backlogmcp.embedded.EmbeddedPostgresServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code deploy/local/run}: embedded PostgreSQL and Kafka under {@code DATA_DIR}, the four services as separate
 * processes, demo data seeded by the services themselves ({@code SEED_DEMO_DATA=true}, idempotent), then a banner.
 * Ctrl-C or SIGTERM stops the services (graceful), then Kafka, then PostgreSQL.
 */
public final class LocalStack implements AutoCloseable {

    static final String DATABASE = "backlogmcp";
    private static final List<String> TOPICS = List.of(Topics.TOOL_CALLS, Topics.GRANTS, Topics.BACKLOG_CHANGES);

    private final StackSettings settings;
    private final Map<String, String> serviceOverrides;
    private final List<ServiceProcess> services = new ArrayList<>();
    private Map<String, String> serviceEnv = Map.of();
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaServer kafka;
    private FileChannel lockChannel;
    private FileLock lock;
    private final CountDownLatch stopped = new CountDownLatch(1);

    LocalStack(StackSettings settings) {
        this(settings, Map.of());
    }

    /** @param serviceOverrides settings every service gets on top of the local defaults (tests: limits, log level) */
    LocalStack(StackSettings settings, Map<String, String> serviceOverrides) {
        this.settings = settings;
        this.serviceOverrides = Map.copyOf(serviceOverrides);
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty("backlogmcp.repo", ".")).toAbsolutePath().normalize();
        StackSettings settings;
        try {
            settings = StackSettings.fromEnvironment(System.getenv(), repo);
        } catch (StackException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(settings);
        Thread shutdown = new Thread(stack::close, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            stack.start();
        } catch (StackException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("error: the local stack failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        stack.watch();
    }

    void start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Files.createDirectories(settings.dataDir());
        acquireLock();
        PortGuard.requireFree(settings);
        Map<String, String> secrets = LocalSecrets.loadOrCreate(settings.dataDir(), System.getenv());

        startPostgres();
        startKafka();
        createTopics();

        Map<String, String> env = serviceEnvironment(secrets);
        env.putAll(serviceOverrides);
        serviceEnv = Map.copyOf(env);
        Path logs = settings.dataDir().resolve("logs");
        services.add(new ServiceProcess("backlog-service", settings.repo().resolve("backlog-service"),
                "com.backlogmcp.backlog.Application", settings.backlogPort(), logs.resolve("backlog-service.log")));
        services.add(new ServiceProcess("audit-service", settings.repo().resolve("audit-service"),
                "com.backlogmcp.audit.Application", settings.auditPort(), logs.resolve("audit-service.log")));
        services.add(new ServiceProcess("auth-service", settings.repo().resolve("auth-service"),
                "com.backlogmcp.auth.Application", settings.authPort(), logs.resolve("auth-service.log")));
        services.add(new ServiceProcess("mcp-service", settings.repo().resolve("mcp-service"),
                "com.backlogmcp.mcp.Application", settings.mcpPort(), logs.resolve("mcp-service.log")));
        say("starting " + services.size() + " services (logs: " + logs + ")");
        for (ServiceProcess service : services) {
            service.start(env, settings.serviceJavaOpts(), settings.dataDir().resolve("tmp").resolve(service.name));
        }
        Instant deadline = Instant.now().plus(settings.startupTimeout());
        for (ServiceProcess service : services) {
            service.awaitReady(deadline);
            say(service.name + " ready on port " + service.port);
        }
        System.out.println(Banner.render(settings, (System.nanoTime() - t0) / 1_000_000));
        System.out.flush();
    }

    /** Starts PostgreSQL on its configured port and data directory (kept across restarts). */
    void startPostgres() throws IOException {
        say("starting PostgreSQL on port " + settings.postgresPort() + " (data: " + settings.dataDir().resolve("postgres") + ")");
        postgres = EmbeddedPostgresServer.start(settings.postgresPort(), settings.dataDir().resolve("postgres"), true);
        postgres.jdbcUrl(DATABASE);
    }

    /** Stops PostgreSQL; the services lose their connections until {@link #startPostgres()}. */
    void stopPostgres() {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    /** Starts Kafka on its configured ports and log directory (topics and offsets kept across restarts). */
    void startKafka() throws IOException {
        say("starting Kafka on port " + settings.kafkaPort());
        kafka = EmbeddedKafkaServer.start(settings.kafkaPort(), settings.kafkaControllerPort(), settings.dataDir().resolve("kafka"));
    }

    void stopKafka() {
        try {
            kafka.close();
        } catch (RuntimeException e) {
            System.err.println("warning: Kafka did not stop cleanly: " + e.getMessage());
        }
    }

    /** A running service by name ({@code mcp-service}, {@code backlog-service}, …): tests stop, freeze and restart it. */
    ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** Restarts a service that was stopped or killed, with the environment it first had, and waits until it is ready. */
    void restart(ServiceProcess service) throws IOException, InterruptedException {
        service.start(serviceEnv, settings.serviceJavaOpts(), settings.dataDir().resolve("tmp").resolve(service.name));
        service.awaitReady(Instant.now().plus(settings.startupTimeout()));
    }

    /** The environment every service gets; a variable the user already exported wins over the local default. */
    Map<String, String> serviceEnvironment(Map<String, String> secrets) {
        Map<String, String> env = new HashMap<>();
        env.put("DATASOURCE_URL", settings.jdbcUrl());
        env.put("DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
        env.put("DATASOURCE_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", settings.kafkaBootstrap());
        env.put("MCP_PORT", Integer.toString(settings.mcpPort()));
        env.put("AUTH_PORT", Integer.toString(settings.authPort()));
        env.put("BACKLOG_PORT", Integer.toString(settings.backlogPort()));
        env.put("AUDIT_PORT", Integer.toString(settings.auditPort()));
        env.put("MCP_PUBLIC_URL", settings.mcpPublicUrl());
        env.put("AUTH_ISSUER", settings.issuerUrl());
        env.put("AUTH_URL", "http://127.0.0.1:" + settings.authPort());
        env.put("BACKLOG_URL", "http://127.0.0.1:" + settings.backlogPort());
        env.put("AUDIT_URL", "http://127.0.0.1:" + settings.auditPort());
        env.put("SEED_DEMO_DATA", "true");
        // Agents on this machine serve their Client ID Metadata Documents from loopback while developing.
        env.put("CIMD_ALLOW_PRIVATE_ADDRESSES", "true");
        env.put("LOG_FORMAT", "json");
        env.putAll(secrets);
        Map<String, String> user = System.getenv();
        Set<String> ours = Set.copyOf(env.keySet());
        for (String key : ours) {
            String mine = user.get(key);
            if (mine != null && !mine.isBlank() && !key.endsWith("_PORT") && !key.startsWith("DATASOURCE_")
                    && !key.equals("KAFKA_BOOTSTRAP_SERVERS")) {
                env.put(key, mine);
            }
        }
        return env;
    }

    private void createTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 3, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new StackException("cannot create Kafka topics: " + e.getMessage(), e);
        }
    }

    private void acquireLock() throws IOException {
        lockChannel = FileChannel.open(settings.dataDir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new StackException("another local stack is already running on DATA_DIR " + settings.dataDir());
        }
    }

    /** Blocks until a service dies on its own (then stops everything) or the JVM is asked to stop. */
    void watch() {
        while (stopped.getCount() > 0) {
            for (ServiceProcess s : services) {
                if (!s.isAlive() && stopped.getCount() > 0) {
                    System.err.println("error: " + s.name + " stopped unexpectedly; last lines of its log:\n" + s.tail(20));
                    System.exit(1);
                }
            }
            try {
                stopped.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        stopped.countDown();
        if (postgres == null) {
            releaseLock();
            return;
        }
        say("stopping");
        services.reversed().parallelStream().forEach(s -> s.stop(Duration.ofSeconds(30)));
        if (kafka != null) {
            stopKafka();
        }
        stopPostgres();
        releaseLock();
        say("stopped");
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // the process is ending anyway
        }
    }

    private static void say(String message) {
        System.out.println("[local-stack] " + message);
        System.out.flush();
    }
}
