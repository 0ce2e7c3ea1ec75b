package com.backlogmcp.mcp.quota;

import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseRequest;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn;
import com.backlogmcp.mcp.neighbour.AuditClient;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Quota and rate from leases: audit-service's ledger (the source of truth, exact across replicas) hands this
 * replica blocks of calls for a project's UTC day and for a credential's UTC minute; calls spend them from memory,
 * so the steady state costs no round trip and no database write per call. A counter running low asks for its next
 * block in the background before it runs out (a busy counter doubles its block each time, up to 1024 slots); only a counter that is empty (the first call, a burst, or the
 * limit being near, where the ledger hands out blocks of one) waits for the ledger, and concurrent callers share
 * that one request. A refusal (the ledger granted nothing) is believed for a second.
 * <p>
 * Every metered method spends a slot of its credential's minute; only tools/call also spends one of its project's
 * day. A call stopped before the tool runs gives its slots back ({@link HeldSlots#giveBack}). Blocks that may no longer be
 * spent (the ledger's {@code expiresAt}, less a second) and, on graceful shutdown, every block go back to the
 * ledger with their unused slots. A replica that dies returns nothing; the ledger reclaims its blocks after they
 * expire (30 s for a daily block, the minute's end for a rate block).
 */
@Singleton
public class QuotaLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaLeases.class);
    private static final Duration IDLE = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private record DayKey(String projectId, LocalDate day) {
    }

    private record MinuteKey(String credentialId, Instant minute) {
    }

    private final AuditClient audit;
    private final Clock clock;
    private final String holder = "edge-" + UUID.randomUUID();
    private final Map<DayKey, LeaseCounter> days = new ConcurrentHashMap<>();
    private final Map<MinuteKey, LeaseCounter> minutes = new ConcurrentHashMap<>();
    // Refills ask the ledger ahead of need without holding up the call that noticed the counter running low.
    private final Set<CompletableFuture<Void>> refillsAhead = ConcurrentHashMap.newKeySet();
    private final ExecutorService refills = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("quota-refill-", 0).factory());
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("quota-sweeper").factory());
    private final MeterRegistry meters;

    public QuotaLeases(AuditClient audit, MeterRegistry meters) {
        this(audit, meters, Clock.systemUTC());
    }

    QuotaLeases(AuditClient audit, MeterRegistry meters, Clock clock) {
        this.audit = audit;
        this.meters = meters;
        this.clock = clock;
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** This replica's id as the ledger knows it (random per process start). */
    public String holder() {
        return holder;
    }

    /**
     * Takes a rate slot of {@code credentialId}'s minute and, when {@code spendsDaily}, a slot of
     * {@code projectId}'s day (whose limit follows {@code plan}). Throws {@link UpstreamUnavailableException} when
     * a counter is empty and the ledger cannot be asked.
     */
    public QuotaVerdict acquire(String projectId, @Nullable String plan, String credentialId, boolean spendsDaily) {
        // Slots granted to this replica may be taken by concurrent callers before this one gets to them; it asks
        // again until it gets one or the ledger says the limit is reached (only a refusal ends the loop).
        Instant deadline = clock.instant().plus(WAIT);
        while (true) {
            Instant now = clock.instant();
            if (now.isAfter(deadline)) {
                throw new UpstreamUnavailableException("no quota slot could be obtained from the ledger in time");
            }
            LeaseCounter rate = minutes.computeIfAbsent(new MinuteKey(credentialId, now.truncatedTo(ChronoUnit.MINUTES)),
                    k -> new LeaseCounter(k.minute().plus(1, ChronoUnit.MINUTES), now));
            LeaseCounter day = spendsDaily ? days.computeIfAbsent(new DayKey(projectId, LocalDate.ofInstant(now, ZoneOffset.UTC)),
                    k -> new LeaseCounter(k.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), now)) : null;
            LeaseCounter.Block rateSlot = rate.take(now);
            LeaseCounter.Block daySlot = day == null ? null : day.take(now);
            if (rateSlot != null && (day == null || daySlot != null)) {
                refillAhead(projectId, plan, credentialId, rate, day, now);
                return new QuotaVerdict.Granted(new HeldSlots(rate, rateSlot, day, daySlot, window(rate, now)));
            }
            if (rateSlot != null) {
                rate.giveBack(rateSlot);
            }
            if (daySlot != null) {
                day.giveBack(daySlot);
            }
            if (rateSlot == null && rate.refusedAt(now)) {
                return new QuotaVerdict.RateLimited(refusedWindow(rate, now));
            }
            if (day != null && daySlot == null && day.refusedAt(now)) {
                return dailySpent(day, rate, now);
            }
            refill(projectId, plan, credentialId, rateSlot == null ? rate : null, day != null && daySlot == null ? day : null, true);
        }
    }

    private void refillAhead(String projectId, @Nullable String plan, String credentialId, LeaseCounter rate,
                             @Nullable LeaseCounter day, Instant now) {
        boolean rateLow = rate.low(now);
        boolean dayLow = day != null && day.low(now);
        if (rateLow || dayLow) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            refillsAhead.add(done);
            refills.execute(() -> {
                try {
                    refill(projectId, plan, credentialId, rateLow ? rate : null, dayLow ? day : null, false);
                } catch (RuntimeException e) {
                    LOG.warn("asking the quota ledger ahead of need failed; calls will ask when the slots run out: {}", e.getMessage());
                } finally {
                    refillsAhead.remove(done);
                    done.complete(null);
                }
            });
        }
    }

    /**
     * One lease request for the counters given (null: not asked for). A counter already being refilled is not
     * asked for again: the caller waits for that refill when {@code wait} is set.
     */
    private void refill(String projectId, @Nullable String plan, String credentialId, @Nullable LeaseCounter rate,
                        @Nullable LeaseCounter day, boolean wait) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        List<CompletableFuture<Void>> others = new ArrayList<>();
        boolean askRate = claim(rate, mine, others);
        boolean askDay = claim(day, mine, others);
        if (askRate || askDay) {
            QuotaLease lease = null;
            try {
                Instant asked = clock.instant();
                int rateWanted = askRate ? rate.wanted(asked) : 0;
                int dayWanted = askDay ? day.wanted(asked) : 0;
                lease = audit.lease(new QuotaLeaseRequest(projectId, plan == null ? "" : plan, credentialId, holder, dayWanted, rateWanted));
                meters.counter("mcp.quota.lease.requests", "waited", Boolean.toString(wait)).increment();
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                Instant now = clock.instant();
                if (askRate) {
                    rate.absorb(lease == null ? null : lease.rate(), now, mine);
                }
                if (askDay) {
                    day.absorb(lease == null ? null : lease.daily(), now, mine);
                }
                mine.complete(null);
            }
        }
        if (wait) {
            for (CompletableFuture<Void> other : others) {
                try {
                    other.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UpstreamUnavailableException("interrupted while waiting for the quota ledger");
                } catch (Exception e) {
                    Throwable cause = e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                    throw cause instanceof UpstreamUnavailableException u ? u
                            : new UpstreamUnavailableException("the quota ledger did not answer: " + cause);
                }
            }
        }
    }

    private static boolean claim(@Nullable LeaseCounter counter, CompletableFuture<Void> mine, List<CompletableFuture<Void>> others) {
        if (counter == null) {
            return false;
        }
        CompletableFuture<Void> inFlight = counter.claimRefill(mine);
        if (inFlight != null) {
            others.add(inFlight);
            return false;
        }
        return true;
    }

    private static RateLimitHeaders.RateWindow window(LeaseCounter rate, Instant now) {
        LeaseCounter.LedgerView v = rate.ledger();
        return v == null ? null : new RateLimitHeaders.RateWindow(v.limit(), rate.remaining(now), v.resetsAt());
    }

    private static RateLimitHeaders.RateWindow refusedWindow(LeaseCounter rate, Instant now) {
        LeaseCounter.LedgerView v = rate.ledger();
        return v == null ? new RateLimitHeaders.RateWindow(0, 0, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES))
                : new RateLimitHeaders.RateWindow(v.limit(), 0, v.resetsAt());
    }

    private static QuotaVerdict dailySpent(LeaseCounter day, LeaseCounter rate, Instant now) {
        LeaseCounter.LedgerView v = day.ledger();
        Instant resets = v != null ? v.resetsAt() : LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long limit = v == null ? 0 : v.limit();
        long used = v == null ? 0 : Math.max(0, v.limit() - Math.max(0, v.remaining()));
        return new QuotaVerdict.DailyQuotaSpent(limit, used, resets, window(rate, now));
    }

    /** Gives back what may no longer be spent and forgets counters of periods that are over. */
    void sweep() {
        try {
            returnUnused(false);
        } catch (RuntimeException e) {
            LOG.warn("returning expired quota blocks failed (the ledger reclaims them itself): {}", e.getMessage());
        }
    }

    private void returnUnused(boolean everything) {
        Instant now = clock.instant();
        List<QuotaLeaseReturn.ReturnedBlock> unused = new ArrayList<>();
        for (Map<?, LeaseCounter> counters : List.of(days, minutes)) {
            counters.values().forEach(c -> unused.addAll(c.close(now, everything)));
            counters.values().removeIf(c -> c.disposable(now, IDLE));
        }
        if (!unused.isEmpty()) {
            audit.giveBack(new QuotaLeaseReturn(unused));
        }
    }

    /** Slots of {@code projectId}'s current day this replica holds unspent (diagnostics and tests). */
    public int heldForProject(String projectId) {
        Instant now = clock.instant();
        LeaseCounter c = days.get(new DayKey(projectId, LocalDate.ofInstant(now, ZoneOffset.UTC)));
        return c == null ? 0 : c.available(now);
    }

    /**
     * Gives every block back now and starts afresh (remembered refusals included): what graceful shutdown does,
     * without stopping. Calls in flight keep the slots they took, counted as spent.
     */
    public synchronized void returnAll() {
        // A refill still under way would otherwise land in a counter forgotten below, its block held until it expires.
        for (CompletableFuture<Void> refill : List.copyOf(refillsAhead)) {
            try {
                refill.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("a refill ahead of need did not finish before the blocks were returned: {}", e.toString());
            }
        }
        returnUnused(true);
        days.clear();
        minutes.clear();
    }

    /**
     * Shutdown: every unused slot goes back to the ledger so other replicas can spend it. Done when the context
     * announces its shutdown (in-flight requests have drained by then), while the HTTP client to audit-service
     * is still open; beans, that client included, are destroyed only afterwards.
     */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        close();
    }

    @PreDestroy
    @Override
    public void close() {
        sweeper.shutdownNow();
        refills.shutdown();
        try {
            refills.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            returnUnused(true);
        } catch (RuntimeException e) {
            LOG.warn("could not give unused quota back on shutdown; the ledger reclaims it when the blocks expire: {}", e.getMessage(),
                    e.getCause() != null ? e.getCause() : e);
        }
    }
}
