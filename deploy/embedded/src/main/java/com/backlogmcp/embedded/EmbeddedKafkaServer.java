package com.backlogmcp.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node KRaft Kafka broker (combined broker + controller) inside this JVM.
 * The log directory is formatted once; a kept directory keeps topics and offsets across restarts.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafkaServer(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param port           client port, 0 for any free port
     * @param controllerPort controller port, 0 for any free port
     * @param logDir         where the log lives; formatted when it holds no {@code meta.properties}
     */
    public static EmbeddedKafkaServer start(int port, int controllerPort, Path logDir) throws IOException {
        int clientPort = port > 0 ? port : freePort();
        int ctlPort = controllerPort > 0 ? controllerPort : freePort();
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + ctlPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + ctlPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("default.replication.factor", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("log.flush.interval.messages", "1");

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, props);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafkaServer(server, clientPort);
    }

    // StorageTool has no Java API of its own; its execute() formats without exiting the JVM (STACK.md).
    private static void format(Path logDir, Properties props) throws IOException {
        Path config = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "kafka storage format");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        Files.deleteIfExists(config);
        if (rc != 0) {
            throw new IOException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
