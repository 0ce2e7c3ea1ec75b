package com.backlogmcp.backlog.bench;

import com.backlogmcp.backlog.TestStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the backlog-service benchmarks share: timing a call (warm-up, then timed runs, p50/p95/p99), the lines they
 * print and write to {@code target/}, and settling the tables after a bulk load.
 */
final class LatencyReport {

    private final int warmup;
    private final int runs;
    private final StringBuilder report = new StringBuilder();

    LatencyReport(int warmup, int runs) {
        this.warmup = warmup;
        this.runs = runs;
    }

    void line(String format, Object... args) {
        String s = String.format(format, args);
        System.out.println("[benchmark] " + s);
        report.append(s).append('\n');
    }

    void machine() {
        line("machine: %d cores visible to the JVM, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /** Runs {@code call} {@code warmup} times, then {@code runs} times timed; each must answer true (success). */
    void measure(String name, Supplier<Boolean> call) {
        for (int i = 0; i < warmup; i++) {
            call.get();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            assertTrue(call.get(), name);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        line("%-62s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  (n=%d)", name, nanos[runs / 2] / 1e6,
                nanos[(int) (runs * 0.95)] / 1e6, nanos[(int) (runs * 0.99)] / 1e6, runs);
    }

    void writeTo(String fileName) throws IOException {
        Files.writeString(Path.of("target", fileName), report.toString());
    }

    /**
     * VACUUM (ANALYZE) as autovacuum would after a bulk load: besides the statistics, it moves the GIN indexes'
     * pending entries into the index proper, which every search would otherwise scan one by one. It cannot run
     * inside a transaction, hence a connection of its own in autocommit.
     */
    static void settle(String schema, String... tables) {
        Map<String, String> db = TestStack.properties();
        try (Connection c = DriverManager.getConnection(db.get("datasources.default.url"),
                db.get("datasources.default.username"), db.get("datasources.default.password"));
             var s = c.createStatement()) {
            for (String table : tables) {
                s.execute("VACUUM (ANALYZE) " + schema + "." + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
