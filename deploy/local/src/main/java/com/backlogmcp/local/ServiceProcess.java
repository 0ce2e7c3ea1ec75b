package com.backlogmcp.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service run as its own JVM from its module's {@code target/classes} and {@code target/runtime-classpath.txt}.
 *
 * <p>Separate processes rather than one JVM with a class loader per service: Micronaut loads every bean definition
 * on its classpath, so services sharing a JVM need careful class-loader isolation, and a crash or a GC pause of one
 * would take the others along. Four processes behave like the four Kubernetes pods they become in production, and
 * each can be restarted alone. The price is memory (~250 MB each), which a developer machine has.
 */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Path moduleDir;
    private final String mainClass;
    private final Path logFile;
    private Process process;

    ServiceProcess(String name, Path moduleDir, String mainClass, int port, Path logFile) {
        this.name = name;
        this.moduleDir = moduleDir;
        this.mainClass = mainClass;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * @param tmpDir the service's {@code java.io.tmpdir} (Netty unpacks its native transport there): inside the data
     *               directory, so a stack leaves nothing behind in /tmp
     */
    void start(Map<String, String> env, String javaOpts, Path tmpDir) throws IOException {
        Path classes = moduleDir.resolve("target/classes");
        Path classpathFile = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.exists(classpathFile)) {
            throw new StackException(name + " is not built (" + classpathFile + " missing); run ./mvnw -DskipTests package");
        }
        String classpath = classes + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String opt : javaOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.add("-Dbacklogmcp.service=" + name);
        Files.createDirectories(tmpDir);
        command.add("-Djava.io.tmpdir=" + tmpDir);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Polls {@code /health/readiness} until it answers 200; fails fast when the process dies. */
    void awaitReady(Instant deadline) throws InterruptedException {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/health/readiness");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StackException(name + " exited with code " + process.exitValue() + " during start-up; last lines of "
                        + logFile + ":\n" + tail(20));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new StackException(name + " did not become ready in time; last lines of " + logFile + ":\n" + tail(20));
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then a grace period for Micronaut's graceful shutdown, then SIGKILL. */
    void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The operating-system process id of the running JVM (tests send it signals). */
    long pid() {
        return process.pid();
    }

    /** SIGKILL, as the kernel's OOM killer or a node failure would: no shutdown hooks run. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
