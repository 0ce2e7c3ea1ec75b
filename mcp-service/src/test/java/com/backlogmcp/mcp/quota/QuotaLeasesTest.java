package com.backlogmcp.mcp.quota;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lease book: exact limits under concurrency and across books, give-back, return on shutdown, expiry. */
class QuotaLeasesTest {

    private static final String PROJECT = "prj_acme";

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T10:00:05Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    private static QuotaLeases book(InMemoryLedger ledger) {
        return new QuotaLeases(ledger, new SimpleMeterRegistry(), ledger.clock);
    }

    /** Calls from {@code callers} threads, each until refused; answers how many were granted. */
    private static int spendUntilRefused(List<QuotaLeases> books, int callers) throws Exception {
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            QuotaLeases book = books.get(i % books.size());
            String credential = "key_" + (i % 4);
            all.add(pool.submit(() -> {
                go.await();
                while (true) {
                    QuotaVerdict v = book.acquire(PROJECT, "business", credential, true);
                    if (!(v instanceof QuotaVerdict.Granted)) {
                        assertInstanceOf(QuotaVerdict.DailyQuotaSpent.class, v);
                        return null;
                    }
                    granted.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
        return granted.get();
    }

    @Test
    void acquireWhen64CallersOnOneBookThenExactlyTheLimit() throws Exception {
        InMemoryLedger ledger = new InMemoryLedger(500, 1_000_000, new TestClock());
        try (QuotaLeases book = book(ledger)) {
            assertEquals(500, spendUntilRefused(List.of(book), 64));
            assertEquals(500, ledger.dailyTaken());
        }
    }

    @Test
    void acquireWhen64CallersOverTwoBooksThenExactlyTheLimitAndNoneLost() throws Exception {
        InMemoryLedger ledger = new InMemoryLedger(300, 1_000_000, new TestClock());
        try (QuotaLeases a = book(ledger); QuotaLeases b = book(ledger)) {
            assertEquals(300, spendUntilRefused(List.of(a, b), 64));
            assertEquals(0, a.heldForProject(PROJECT) + b.heldForProject(PROJECT), "nothing left unspent in either book");
        }
    }

    @Test
    void acquireWhenSteadyThenTheLedgerIsAskedRarely() {
        InMemoryLedger ledger = new InMemoryLedger(1_000_000, 1_000_000, new TestClock());
        try (QuotaLeases book = book(ledger)) {
            for (int i = 0; i < 2000; i++) {
                assertInstanceOf(QuotaVerdict.Granted.class, book.acquire(PROJECT, "business", "key_1", true));
            }
            // Blocks double while the counters are busy (4, 8, …, 1024), so a few dozen requests serve 2000 calls; the
            // bound leaves room for background refills that a busy machine runs late (callers then wait for one).
            assertTrue(ledger.requests.get() < 200, "2000 calls asked the ledger " + ledger.requests.get() + " times");
        }
    }

    @Test
    void acquireWhenInTheLastSecondOfTheMinuteThenTheFreshRateBlockIsSpentNotAskedForAgain() {
        TestClock clock = new TestClock();
        clock.now.set(Instant.parse("2026-11-30T10:00:59.600Z"));
        InMemoryLedger ledger = new InMemoryLedger(1_000_000, 1_000_000, clock);
        try (QuotaLeases book = book(ledger)) {
            // The clock stands still: without a usable block the book would ask the ledger forever.
            QuotaVerdict v = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> book.acquire(PROJECT, "business", "key_1", true));
            assertInstanceOf(QuotaVerdict.Granted.class, v);
            assertTrue(ledger.requests.get() <= 2, ledger.requests.get() + " lease requests for one call");
            for (int i = 0; i < 3; i++) {
                assertInstanceOf(QuotaVerdict.Granted.class, book.acquire(PROJECT, "business", "key_1", true));
            }
            assertTrue(ledger.requests.get() <= 3, ledger.requests.get() + " lease requests for four calls");
        }
    }

    @Test
    void giveBackWhenCallDidNotRunThenTheSlotIsSpendableAgain() {
        InMemoryLedger ledger = new InMemoryLedger(1, 1_000_000, new TestClock());
        try (QuotaLeases book = book(ledger)) {
            QuotaVerdict first = book.acquire(PROJECT, "business", "key_1", true);
            ((QuotaVerdict.Granted) first).slots().giveBack();
            ((QuotaVerdict.Granted) first).slots().giveBack(); // at most once
            assertInstanceOf(QuotaVerdict.Granted.class, book.acquire(PROJECT, "business", "key_1", true));
            QuotaVerdict third = book.acquire(PROJECT, "business", "key_1", true);
            QuotaVerdict.DailyQuotaSpent spent = assertInstanceOf(QuotaVerdict.DailyQuotaSpent.class, third);
            assertEquals(1, spent.limit());
            assertEquals(1, spent.used());
            assertNotNull(spent.resetsAt());
        }
    }

    @Test
    void closeWhenSlotsUnusedThenTheyGoBackToTheLedger() {
        InMemoryLedger ledger = new InMemoryLedger(1000, 1_000_000, new TestClock());
        QuotaLeases book = book(ledger);
        for (int i = 0; i < 10; i++) {
            book.acquire(PROJECT, "business", "key_1", true);
        }
        assertTrue(ledger.dailyTaken() > 10, "the book holds slots ahead of need");
        book.close();
        assertEquals(10, ledger.dailyTaken(), "graceful shutdown: only what was spent stays counted");
    }

    @Test
    void acquireWhenBlockExpiredThenNotSpentAndReturnedBySweep() {
        TestClock clock = new TestClock();
        InMemoryLedger ledger = new InMemoryLedger(1000, 1_000_000, clock);
        try (QuotaLeases book = book(ledger)) {
            book.acquire(PROJECT, "business", "key_1", true);
            long held = ledger.dailyTaken();
            clock.advance(Duration.ofSeconds(29)); // within the second before expiresAt: no longer spendable
            book.sweep();
            assertEquals(1, ledger.dailyTaken(), "the expired block's unused slots went back (held " + held + ")");
            assertInstanceOf(QuotaVerdict.Granted.class, book.acquire(PROJECT, "business", "key_1", true));
        }
    }

    @Test
    void acquireWhenRateSpentThenRateLimitedWithWindowAndNoDailySlotTaken() {
        InMemoryLedger ledger = new InMemoryLedger(1000, 2, new TestClock());
        try (QuotaLeases book = book(ledger)) {
            book.acquire(PROJECT, "business", "key_1", true);
            book.acquire(PROJECT, "business", "key_1", false); // resources/read: rate only
            QuotaVerdict.RateLimited limited = assertInstanceOf(QuotaVerdict.RateLimited.class,
                    book.acquire(PROJECT, "business", "key_1", true));
            assertEquals(2, limited.rateWindow().limit());
            assertEquals(0, limited.rateWindow().remaining());
            assertEquals(Instant.parse("2026-11-30T10:01:00Z"), limited.rateWindow().resetsAt());
            book.returnAll();
            assertEquals(1, ledger.dailyTaken(), "the refused call kept no daily slot");
        }
    }

    @Test
    void headersWhenBuiltThenOneShapeForEveryAnswer() {
        TestClock clock = new TestClock();
        RateLimitHeaders.RateWindow w = new RateLimitHeaders.RateWindow(600, 598, Instant.parse("2026-11-30T10:01:00Z"));
        assertEquals(Map.of("X-RateLimit-Limit", "600", "X-RateLimit-Remaining", "598", "X-RateLimit-Reset", "1796032860"),
                RateLimitHeaders.of(w));
        assertEquals(Map.of("X-RateLimit-Limit", "600", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1796032860",
                "Retry-After", "56"), RateLimitHeaders.refused(w, clock));
        assertEquals(Map.of(), RateLimitHeaders.of(null));
    }
}
