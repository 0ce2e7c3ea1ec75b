package com.backlogmcp.mcp.quota;

import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The slots this replica holds of one ledger counter: a project's UTC day or a credential's UTC minute. Slots
 * are spent from memory, oldest block first; a block is never spent past its {@code expiresAt} (less a margin
 * for clock skew), and what it did not spend goes back to the ledger. The critical sections are a few field
 * updates, so one monitor per counter is cheaper than anything lock-free would be here.
 */
final class LeaseCounter {

    /** Stop spending a block this long before the ledger's {@code expiresAt}: clocks of two hosts differ a little. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(1);
    /** A refusal is believed for this long, so calls over the limit cost the ledger one request per second per counter. */
    static final Duration REFUSAL_MEMORY = Duration.ofSeconds(1);
    static final int MIN_WANTED = 4;
    static final int MAX_WANTED = 1024;
    /** A counter asking again within this time of its last request is running through its blocks quickly. */
    static final Duration BUSY = Duration.ofSeconds(2);

    /** One block granted by the ledger; {@code taken} counts slots spent or in flight. */
    static final class Block {
        final String blockId;
        final int granted;
        final Instant spendableUntil;
        int taken;
        boolean closed;

        /**
         * The margin shrinks for a block granted close to its expiry (a rate block asked for in the last second of
         * its minute): at most half of the block's remaining life, so a block is always spendable for a while after
         * it arrives. A fixed margin would make such a block useless on arrival, and every call would ask the ledger
         * again and again until the minute turned.
         */
        Block(String blockId, int granted, Instant expiresAt, Instant grantedAt) {
            this.blockId = blockId;
            this.granted = granted;
            Duration life = Duration.between(grantedAt, expiresAt);
            Duration margin = life.isNegative() ? Duration.ZERO
                    : life.dividedBy(2).compareTo(EXPIRY_MARGIN) < 0 ? life.dividedBy(2) : EXPIRY_MARGIN;
            this.spendableUntil = expiresAt.minus(margin);
        }

        int available() {
            return closed ? 0 : granted - taken;
        }
    }

    /** What the ledger said last: its limit, its remainder then (not counting slots anyone holds), and the reset. */
    record LedgerView(long limit, long remaining, Instant resetsAt) {
    }

    private final ArrayDeque<Block> blocks = new ArrayDeque<>();
    private final Instant endsAt;
    @Nullable
    private LedgerView ledger;
    private Instant refusedUntil = Instant.MIN;
    @Nullable
    private CompletableFuture<Void> refill;
    private int takenSinceRefill;
    private int lastWanted = MIN_WANTED;
    private Instant lastAsked = Instant.MIN;
    private Instant lastUsed;

    LeaseCounter(Instant endsAt, Instant now) {
        this.endsAt = endsAt;
        this.lastUsed = now;
    }

    /** A slot of a block that may still be spent, or null when none is left. */
    synchronized Block take(Instant now) {
        lastUsed = now;
        for (Block b : blocks) {
            if (!b.closed && b.available() > 0 && now.isBefore(b.spendableUntil)) {
                b.taken++;
                takenSinceRefill++;
                return b;
            }
        }
        return null;
    }

    /** A slot taken for a call that then did not run: usable again, unless its block was already given back. */
    synchronized void giveBack(Block b) {
        if (!b.closed && b.taken > 0) {
            b.taken--;
            takenSinceRefill = Math.max(0, takenSinceRefill - 1);
        }
    }

    synchronized int available(Instant now) {
        int n = 0;
        for (Block b : blocks) {
            if (now.isBefore(b.spendableUntil)) {
                n += b.available();
            }
        }
        return n;
    }

    /** True when this counter holds less than half of what it asked for last time: time to ask ahead of need. */
    synchronized boolean low(Instant now) {
        return refill == null && !refusedAt(now) && available(now) * 2 <= lastWanted;
    }

    synchronized boolean refusedAt(Instant now) {
        return now.isBefore(refusedUntil);
    }

    @Nullable
    synchronized LedgerView ledger() {
        return ledger;
    }

    /** The remainder this replica can vouch for: the ledger's at its last grant plus what it holds itself. */
    synchronized long remaining(Instant now) {
        if (ledger == null) {
            return 0;
        }
        return ledger.limit() < 0 ? -1 : Math.max(0, ledger.remaining()) + available(now);
    }

    /**
     * Claims the right to refill: answers the refill already in flight (to wait for), or null after installing
     * {@code mine} (this caller asks the ledger and completes it).
     */
    synchronized CompletableFuture<Void> claimRefill(CompletableFuture<Void> mine) {
        if (refill != null) {
            return refill;
        }
        refill = mine;
        return null;
    }

    /**
     * How many slots to ask for. Asking again within {@link #BUSY} of the last request means the counter is busy:
     * twice as much as last time, so a hot counter reaches blocks that last a while in a few requests; otherwise
     * twice what was spent since the last request. Within {@value #MIN_WANTED}–{@value #MAX_WANTED}; the ledger
     * grants less near the limit.
     */
    synchronized int wanted(Instant now) {
        long basis = now.isBefore(lastAsked.plus(BUSY)) ? Math.max(lastWanted, takenSinceRefill) : takenSinceRefill;
        lastWanted = (int) Math.clamp(basis * 2L, MIN_WANTED, MAX_WANTED);
        takenSinceRefill = 0;
        lastAsked = now;
        return lastWanted;
    }

    /** Takes the ledger's answer in (null: the request failed) and ends the refill. */
    synchronized void absorb(@Nullable QuotaLease.Block granted, Instant now, CompletableFuture<Void> mine) {
        if (granted != null) {
            ledger = new LedgerView(granted.limit(), granted.remaining(), granted.resetsAt());
            if (granted.granted() > 0) {
                blocks.addLast(new Block(granted.blockId(), granted.granted(), granted.expiresAt(), now));
                refusedUntil = Instant.MIN;
            } else {
                refusedUntil = now.plus(REFUSAL_MEMORY);
            }
        }
        if (refill == mine) {
            refill = null;
        }
    }

    /**
     * Closes the blocks that may no longer be spent (all of them when {@code everything}) and answers each with
     * its unused slots, which go back to the ledger. A slot taken by a call still in flight counts as spent: if
     * that call is refused later its slot is lost to this day, which errs on the side of the limit.
     */
    synchronized List<QuotaLeaseReturn.ReturnedBlock> close(Instant now, boolean everything) {
        List<QuotaLeaseReturn.ReturnedBlock> unused = new ArrayList<>();
        for (Iterator<Block> it = blocks.iterator(); it.hasNext(); ) {
            Block b = it.next();
            if (everything || !now.isBefore(b.spendableUntil)) {
                unused.add(new QuotaLeaseReturn.ReturnedBlock(b.blockId, b.granted - b.taken));
                b.closed = true;
                it.remove();
            }
        }
        return unused;
    }

    /** Nothing held, nothing in flight, and either past its period or idle for {@code idle}. */
    synchronized boolean disposable(Instant now, Duration idle) {
        return blocks.isEmpty() && refill == null && (!now.isBefore(endsAt) || lastUsed.plus(idle).isBefore(now));
    }
}
