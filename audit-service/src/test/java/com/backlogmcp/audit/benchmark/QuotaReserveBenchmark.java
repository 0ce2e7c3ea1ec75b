package com.backlogmcp.audit.benchmark;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Reservations per second and latency percentiles of {@code POST /internal/quota/reserve} at 16 concurrent callers,
 * over real HTTP (JDK client, keep-alive) against one service instance and the test PostgreSQL. Not a test: it asserts
 * nothing about speed. Excluded by default; run with
 * {@code ./mvnw -B -q verify -pl audit-service -Dgroups=benchmark -DexcludedGroups=none -Dtest=QuotaReserveBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; results go to {@code audit-service/target/benchmark-quota.txt}.
 */
@Tag("benchmark")
class QuotaReserveBenchmark {

    private static final int CALLERS = 16;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURE = Duration.ofSeconds(30);

    @Test
    void reserveAt16ConcurrentCallers() throws Exception {
        Map<String, Object> props = new HashMap<>(TestStack.properties());
        props.put("backlogmcp.audit-log.consumer-enabled", "false");
        props.put("backlogmcp.retention.enabled", "false");
        // limits high enough that every reservation does the full work (both counters incremented) and is granted
        props.put("backlogmcp.quota.daily-business", "1000000000");
        props.put("backlogmcp.quota.rate-per-minute", "1000000000");
        StringBuilder report = new StringBuilder();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
            InternalCalls calls = new InternalCalls(server.getURI());
            String hot = "prj_bench_" + UUID.randomUUID();
            String run = UUID.randomUUID().toString();
            run(calls, WARM_UP, i -> hot, "warm-up (discarded)");
            report.append(run(calls, MEASURE, i -> hot, "one project (16 credentials, same daily row)"));
            report.append(run(calls, MEASURE, i -> "prj_bench_" + run + "_" + i, "16 projects (no shared row)"));
        }
        String text = "callers=" + CALLERS + " measure=" + MEASURE.toSeconds() + "s cores="
                + Runtime.getRuntime().availableProcessors() + "\n" + report;
        System.out.println(text);
        Files.writeString(Path.of("target", "benchmark-quota.txt"), text);
    }

    private static String run(InternalCalls calls, Duration duration, IntFunction<String> projectOfCaller,
                              String label) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            String credentialPrefix = "gr_bench_" + UUID.randomUUID() + "_";
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    start.await();
                    String body = InternalCalls.reserveJson(projectOfCaller.apply(caller), credentialPrefix + caller, "business");
                    long end = System.nanoTime() + duration.toNanos();
                    long[] samples = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = calls.post("/internal/quota/reserve", body);
                        long t = System.nanoTime() - t0;
                        if (r.statusCode() != 200 || !r.body().contains("\"granted\":true")) {
                            throw new IllegalStateException("unexpected answer " + r.statusCode() + " " + r.body());
                        }
                        if (n == samples.length) {
                            samples = Arrays.copyOf(samples, n * 2);
                        }
                        samples[n++] = t;
                    }
                    return Arrays.copyOf(samples, n);
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return String.format("%s: %d reservations in %.1f s = %.0f/s; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f%n",
                    label, lat.length, seconds, lat.length / seconds, ms(lat, 0.50), ms(lat, 0.90), ms(lat, 0.99),
                    lat[lat.length - 1] / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
