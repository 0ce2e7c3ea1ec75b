package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.MutableClock;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.contracts.internal.QuotaDecision;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaReservationTest implements TestPropertyProvider {

    private static final int RATE_LIMIT = 10;

    @Inject
    EmbeddedServer server;
    @Inject
    MutableClock clock;
    @Inject
    ObjectMapper json;

    InternalCalls calls;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(TestStack.properties());
        p.put("test.mutable-clock", "true");
        p.put("backlogmcp.quota.rate-per-minute", String.valueOf(RATE_LIMIT));
        p.put("backlogmcp.audit-log.consumer-enabled", "false");
        return p;
    }

    @BeforeAll
    void client() {
        calls = new InternalCalls(server.getURI());
    }

    @Test
    void reserveWhen64ParallelAgainstFreeLimit25ThenExactly25Granted() throws Exception {
        clock.set(Instant.parse("2026-11-22T12:00:10Z"));
        String project = "prj_" + UUID.randomUUID();
        String prefix = "grant_" + UUID.randomUUID() + "_";
        List<QuotaDecision> decisions = parallel(64, i -> reserve(project, prefix + i, "free"));

        assertEquals(25, decisions.stream().filter(QuotaDecision::granted).count());
        assertEquals(39, decisions.stream().filter(d -> "QUOTA_EXCEEDED".equals(d.refusal())).count());
        assertEquals(25, dailyUsed(project, "2026-11-22"));
        // every refused caller's minute window was rolled back with the refusal
        assertEquals(25, queryLong("SELECT coalesce(sum(used), 0) FROM rate_window WHERE credential_id LIKE ?", prefix + "%"));
    }

    @Test
    void reserveWhenGrantedThenAnswersLimitUsedRemainingAndResets() {
        clock.set(Instant.parse("2026-11-22T12:00:30Z"));
        String project = "prj_" + UUID.randomUUID();
        String credential = "grant_" + UUID.randomUUID();
        QuotaDecision first = reserve(project, credential, "PRO");
        QuotaDecision second = reserve(project, credential, "pro");

        assertTrue(first.granted());
        assertNull(first.refusal());
        assertEquals(300, second.dailyLimit());
        assertEquals(2, second.dailyUsed());
        assertEquals(298, second.dailyRemaining());
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), second.dailyResetsAt());
        assertEquals(RATE_LIMIT, second.rateLimit());
        assertEquals(RATE_LIMIT - 2, second.rateRemaining());
        assertEquals(Instant.parse("2026-11-22T12:01:00Z"), second.rateResetsAt());
    }

    @Test
    void reserveWhenDailyQuotaSpentThenQuotaExceededUntilUtcMidnight() {
        clock.set(Instant.parse("2026-11-22T23:59:00Z"));
        String project = "prj_" + UUID.randomUUID();
        for (int i = 0; i < 25; i++) {
            assertTrue(reserve(project, "key_" + i, "free").granted());
        }
        QuotaDecision refused = reserve(project, "key_late", "free");
        assertFalse(refused.granted());
        assertEquals("QUOTA_EXCEEDED", refused.refusal());
        assertEquals(25, refused.dailyUsed());
        assertEquals(0, refused.dailyRemaining());
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), refused.dailyResetsAt());

        clock.set(Instant.parse("2026-11-22T23:59:59.999Z"));
        assertEquals("QUOTA_EXCEEDED", reserve(project, "key_late", "free").refusal());

        clock.set(Instant.parse("2026-11-23T00:00:00Z"));
        QuotaDecision nextDay = reserve(project, "key_late", "free");
        assertTrue(nextDay.granted());
        assertEquals(1, nextDay.dailyUsed());
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), nextDay.dailyResetsAt());
        assertEquals(25, dailyUsed(project, "2026-11-22"));
        assertEquals(1, dailyUsed(project, "2026-11-23"));
    }

    @Test
    void reserveWhenMinuteRateSpentThenRateLimitedAndRefusalNotCounted() {
        clock.set(Instant.parse("2026-11-22T13:00:05Z"));
        String project = "prj_" + UUID.randomUUID();
        String credential = "grant_" + UUID.randomUUID();
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertTrue(reserve(project, credential, "business").granted());
        }
        for (int i = 0; i < 3; i++) {
            QuotaDecision refused = reserve(project, credential, "business");
            assertEquals("RATE_LIMITED", refused.refusal());
            assertEquals(0, refused.rateRemaining());
            assertEquals(Instant.parse("2026-11-22T13:01:00Z"), refused.rateResetsAt());
            // the refused call did not touch the project's daily quota
            assertEquals(RATE_LIMIT, refused.dailyUsed());
        }
        assertEquals(RATE_LIMIT, dailyUsed(project, "2026-11-22"));
        assertEquals(RATE_LIMIT, rateUsed(credential, Instant.parse("2026-11-22T13:00:00Z")));

        // another credential in the same project is not limited by this one's window
        assertTrue(reserve(project, "grant_" + UUID.randomUUID(), "business").granted());

        clock.set(Instant.parse("2026-11-22T13:01:00Z"));
        QuotaDecision nextMinute = reserve(project, credential, "business");
        assertTrue(nextMinute.granted());
        assertEquals(RATE_LIMIT - 1, nextMinute.rateRemaining());
    }

    @Test
    void reserveWhenQuotaRefusesThenRateWindowNotConsumed() {
        clock.set(Instant.parse("2026-11-22T14:00:05Z"));
        String spent = "prj_" + UUID.randomUUID();
        for (int i = 0; i < 25; i++) {
            assertTrue(reserve(spent, "key_" + UUID.randomUUID(), "free").granted());
        }
        String credential = "grant_" + UUID.randomUUID();
        for (int i = 0; i < 2 * RATE_LIMIT; i++) {
            QuotaDecision refused = reserve(spent, credential, "free");
            assertEquals("QUOTA_EXCEEDED", refused.refusal());
            assertEquals(RATE_LIMIT, refused.rateRemaining());
        }
        assertEquals(0, rateUsed(credential, Instant.parse("2026-11-22T14:00:00Z")));

        // the same credential still has its whole minute for a project with quota left
        String other = "prj_" + UUID.randomUUID();
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertTrue(reserve(other, credential, "free").granted(), "call " + i);
        }
        assertEquals("RATE_LIMITED", reserve(other, credential, "free").refusal());
        assertEquals(25, dailyUsed(spent, "2026-11-22"));
    }

    @Test
    void reserveWhenEnterpriseThenUnlimitedButCounted() {
        clock.set(Instant.parse("2026-11-22T15:00:05Z"));
        String project = "prj_" + UUID.randomUUID();
        QuotaDecision last = null;
        for (int i = 0; i < 30; i++) {
            last = reserve(project, "key_" + i % 5, "enterprise");
            assertTrue(last.granted());
        }
        assertEquals(-1, last.dailyLimit());
        assertEquals(-1, last.dailyRemaining());
        assertEquals(30, last.dailyUsed());
    }

    private QuotaDecision reserve(String project, String credential, String plan) {
        HttpResponse<String> r = calls.post("/internal/quota/reserve", InternalCalls.reserveJson(project, credential, plan));
        assertEquals(200, r.statusCode(), r.body());
        try {
            return json.readValue(r.body(), QuotaDecision.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long dailyUsed(String project, String day) {
        return queryLong("SELECT coalesce(sum(used), 0) FROM daily_quota WHERE project_id = ? AND day = ?::date", project, day);
    }

    private long rateUsed(String credential, Instant window) {
        return queryLong("SELECT coalesce(sum(used), 0) FROM rate_window WHERE credential_id = ? AND window_start = ?::timestamptz",
                credential, window.toString());
    }

    private long queryLong(String sql, String... args) {
        try (Connection c = com.backlogmcp.audit.TestDb.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> List<T> parallel(int n, java.util.function.IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
