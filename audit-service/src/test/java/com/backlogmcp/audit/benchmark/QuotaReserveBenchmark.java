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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reservations per second and latency percentiles of {@code POST /internal/quota/reserve} at 16 concurrent callers,
 * and, in the same run, lease cycles of {@code POST /internal/quota/leases} + {@code /leases/return} (a daily and a
 * rate block of {@value #BLOCK} slots each, returned fully spent: the edge's cost per {@value #BLOCK} calls),
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
    private static final int BLOCK = 100;

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
            run(calls, WARM_UP, i -> hot, "warm-up (discarded)", QuotaReserveBenchmark::reserve);
            run(calls, WARM_UP, i -> hot, "warm-up (discarded)", QuotaReserveBenchmark::leaseCycle);
            report.append(run(calls, MEASURE, i -> hot, "reserve, one project (16 credentials, same daily row)",
                    QuotaReserveBenchmark::reserve));
            report.append(run(calls, MEASURE, i -> "prj_bench_" + run + "_" + i, "reserve, 16 projects (no shared row)",
                    QuotaReserveBenchmark::reserve));
            report.append(run(calls, MEASURE, i -> hot, "lease cycle (" + BLOCK + "+" + BLOCK
                    + " slots, 2 requests), one project", QuotaReserveBenchmark::leaseCycle));
            report.append(run(calls, MEASURE, i -> "prj_bench_" + run + "_" + i, "lease cycle (" + BLOCK + "+" + BLOCK
                    + " slots, 2 requests), 16 projects", QuotaReserveBenchmark::leaseCycle));
        }
        String text = "callers=" + CALLERS + " measure=" + MEASURE.toSeconds() + "s cores="
                + Runtime.getRuntime().availableProcessors() + "\n" + report;
        System.out.println(text);
        Files.writeString(Path.of("target", "benchmark-quota.txt"), text);
    }

    /** One measured operation of one caller. */
    @FunctionalInterface
    private interface Operation {
        void call(InternalCalls calls, String project, String credential);
    }

    private static void reserve(InternalCalls calls, String project, String credential) {
        HttpResponse<String> r = calls.post("/internal/quota/reserve", InternalCalls.reserveJson(project, credential, "business"));
        if (r.statusCode() != 200 || !r.body().contains("\"granted\":true")) {
            throw new IllegalStateException("unexpected answer " + r.statusCode() + " " + r.body());
        }
    }

    private static final Pattern BLOCK_ID = Pattern.compile("\"blockId\":\"([^\"]+)\",\"granted\":" + BLOCK + ",");

    /** What an edge replica does per {@value #BLOCK} calls: take a daily and a rate block, later return them spent. */
    private static void leaseCycle(InternalCalls calls, String project, String credential) {
        HttpResponse<String> r = calls.post("/internal/quota/leases", "{\"projectId\":\"" + project
                + "\",\"plan\":\"business\",\"credentialId\":\"" + credential + "\",\"holder\":\"edge_bench\","
                + "\"dailyWanted\":" + BLOCK + ",\"rateWanted\":" + BLOCK + "}");
        Matcher m = BLOCK_ID.matcher(r.body());
        StringBuilder blocks = new StringBuilder();
        while (m.find()) {
            blocks.append(blocks.isEmpty() ? "" : ",").append("{\"blockId\":\"").append(m.group(1)).append("\",\"unused\":0}");
        }
        if (r.statusCode() != 200 || blocks.isEmpty() || blocks.toString().split("blockId").length != 3) {
            throw new IllegalStateException("unexpected answer " + r.statusCode() + " " + r.body());
        }
        HttpResponse<String> back = calls.post("/internal/quota/leases/return", "{\"blocks\":[" + blocks + "]}");
        if (back.statusCode() != 204) {
            throw new IllegalStateException("unexpected answer " + back.statusCode() + " " + back.body());
        }
    }

    private static String run(InternalCalls calls, Duration duration, IntFunction<String> projectOfCaller,
                              String label, Operation operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            String credentialPrefix = "gr_bench_" + UUID.randomUUID() + "_";
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    start.await();
                    String project = projectOfCaller.apply(caller);
                    long end = System.nanoTime() + duration.toNanos();
                    long[] samples = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        operation.call(calls, project, credentialPrefix + caller);
                        long t = System.nanoTime() - t0;
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
            return String.format("%s: %d operations in %.1f s = %.0f/s; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f%n",
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
