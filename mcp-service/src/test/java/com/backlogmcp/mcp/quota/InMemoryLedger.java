package com.backlogmcp.mcp.quota;

import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseRequest;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn;
import com.backlogmcp.mcp.neighbour.AuditClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * audit-service's ledger reduced to its contract, for the lease book's own tests: never more than
 * limit − (spent + held) granted, blocks shrinking to an eighth of what is left near the limit, unused slots
 * coming back once per block. Stands in at the AuditClient boundary, which is what these tests are about.
 */
final class InMemoryLedger extends AuditClient {

    final long dailyLimit;
    final long rateLimit;
    final Clock clock;
    final AtomicInteger requests = new AtomicInteger();
    private long dailyTaken;
    private long rateTaken;
    private final Map<String, long[]> blocks = new HashMap<>(); // id -> {daily?1:0, granted, returned?}

    InMemoryLedger(long dailyLimit, long rateLimit, Clock clock) {
        super(null);
        this.dailyLimit = dailyLimit;
        this.rateLimit = rateLimit;
        this.clock = clock;
    }

    @Override
    public synchronized QuotaLease lease(QuotaLeaseRequest request) {
        requests.incrementAndGet();
        Instant now = clock.instant();
        QuotaLease.Block daily = null;
        QuotaLease.Block rate = null;
        if (request.dailyWanted() > 0) {
            int granted = grant(request.dailyWanted(), dailyLimit - dailyTaken);
            dailyTaken += granted;
            daily = block(true, granted, dailyLimit, dailyLimit - dailyTaken,
                    now.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS), now.plus(Duration.ofSeconds(30)));
        }
        if (request.rateWanted() > 0) {
            int granted = grant(request.rateWanted(), rateLimit - rateTaken);
            rateTaken += granted;
            Instant minuteEnd = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
            rate = block(false, granted, rateLimit, rateLimit - rateTaken, minuteEnd, minuteEnd);
        }
        return new QuotaLease(daily, rate);
    }

    private static int grant(int wanted, long left) {
        return left <= 0 ? 0 : (int) Math.min(wanted, Math.max(1, left / 8));
    }

    private QuotaLease.Block block(boolean daily, int granted, long limit, long remaining, Instant resets, Instant expires) {
        String id = UUID.randomUUID().toString();
        blocks.put(id, new long[]{daily ? 1 : 0, granted, 0});
        return new QuotaLease.Block(id, granted, limit, remaining, resets, expires);
    }

    @Override
    public synchronized void giveBack(QuotaLeaseReturn unused) {
        for (QuotaLeaseReturn.ReturnedBlock b : unused.blocks()) {
            long[] known = blocks.get(b.blockId());
            if (known != null && known[2] == 0) {
                known[2] = 1;
                if (known[0] == 1) {
                    dailyTaken -= b.unused();
                } else {
                    rateTaken -= b.unused();
                }
            }
        }
    }

    /** Daily slots granted and not given back. */
    synchronized long dailyTaken() {
        return dailyTaken;
    }
}
