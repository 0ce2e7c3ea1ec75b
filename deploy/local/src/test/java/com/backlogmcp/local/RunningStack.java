package com.backlogmcp.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as a user runs it — the launcher in its own process, on free ports and a data directory of the
 * test's choosing — for stack-level tests.
 */
public final class RunningStack implements AutoCloseable {

    public final Path dataDir;
    public final Map<String, String> env;
    public final int mcpPort;
    public final int authPort;
    public final int backlogPort;
    public final int auditPort;
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread pump;

    private RunningStack(Path dataDir, Map<String, String> env, Process process) {
        this.dataDir = dataDir;
        this.env = env;
        this.process = process;
        this.mcpPort = Integer.parseInt(env.get("MCP_PORT"));
        this.authPort = Integer.parseInt(env.get("AUTH_PORT"));
        this.backlogPort = Integer.parseInt(env.get("BACKLOG_PORT"));
        this.auditPort = Integer.parseInt(env.get("AUDIT_PORT"));
        this.pump = new Thread(() -> pump(process.getInputStream()), "stack-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Free ports for every listener of the stack, chosen once so a restart can reuse them. */
    public static Map<String, String> freshPorts() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("MCP_PORT", "AUTH_PORT", "BACKLOG_PORT", "AUDIT_PORT", "POSTGRES_PORT", "KAFKA_PORT",
                "KAFKA_CONTROLLER_PORT")) {
            try (ServerSocket s = new ServerSocket(0)) {
                env.put(name, Integer.toString(s.getLocalPort()));
            }
        }
        return env;
    }

    /** Starts the launcher and waits for its banner; fails with the launcher's output when it does not come. */
    public static RunningStack start(Path dataDir, Map<String, String> extraEnv, Duration timeout) throws Exception {
        Path repo = Path.of(System.getProperty("backlogmcp.repo", "../..")).toAbsolutePath().normalize();
        Path launcher = repo.resolve("deploy/local/target");
        String classpath = launcher.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(launcher.resolve("runtime-classpath.txt")).trim();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-Djava.io.tmpdir=" + launcher.resolve("tmp"),
                "-Dbacklogmcp.repo=" + repo, "-cp", classpath, LocalStack.class.getName())
                .redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        RunningStack stack = new RunningStack(dataDir, env, pb.start());
        if (!stack.ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String out = stack.output();
            stack.close();
            throw new AssertionError("local stack did not print its banner within " + timeout + ":\n" + out);
        }
        return stack;
    }

    private void pump(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                if (line.startsWith("Backlog MCP is running")) {
                    ready.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The secrets the launcher generated into the data directory. */
    public Properties secrets() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve("secrets.properties"))) {
            p.load(in);
        }
        return p;
    }

    public String url(int port, String path) {
        return "http://localhost:" + port + path;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Ctrl-C or Kubernetes would; answers the exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of the pipe and lose the shutdown report.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("local stack did not stop within " + timeout + ":\n" + output());
        }
        pump.join(5000); // the last lines (the shutdown report) may still be in the pipe
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
