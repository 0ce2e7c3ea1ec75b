package com.backlogmcp.mcp.quota;

import io.micronaut.core.annotation.Nullable;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The slots one call holds until it is over: its rate slot and, for a tool call, its daily slot (whose block id
 * travels on the call's audit event, so the ledger can count what a block spent). Given back at most once.
 */
public final class HeldSlots {

    private final LeaseCounter rateCounter;
    private final LeaseCounter.Block rateBlock;
    @Nullable
    private final LeaseCounter dailyCounter;
    @Nullable
    private final LeaseCounter.Block dailyBlock;
    private final RateLimitHeaders.RateWindow rateWindow;
    private final AtomicBoolean givenBack = new AtomicBoolean();

    HeldSlots(LeaseCounter rateCounter, LeaseCounter.Block rateBlock, @Nullable LeaseCounter dailyCounter,
              @Nullable LeaseCounter.Block dailyBlock, RateLimitHeaders.RateWindow rateWindow) {
        this.rateCounter = rateCounter;
        this.rateBlock = rateBlock;
        this.dailyCounter = dailyCounter;
        this.dailyBlock = dailyBlock;
        this.rateWindow = rateWindow;
    }

    /** The daily block the call's slot came from; null when it spent none or gave it back. */
    @Nullable
    public String dailyBlockId() {
        return dailyBlock == null || givenBack.get() ? null : dailyBlock.blockId;
    }

    public RateLimitHeaders.RateWindow rateWindow() {
        return rateWindow;
    }

    public boolean givenBack() {
        return givenBack.get();
    }

    /** The call did not run: its slots become spendable again (once). */
    public void giveBack() {
        if (givenBack.compareAndSet(false, true)) {
            rateCounter.giveBack(rateBlock);
            if (dailyCounter != null) {
                dailyCounter.giveBack(dailyBlock);
            }
        }
    }
}
