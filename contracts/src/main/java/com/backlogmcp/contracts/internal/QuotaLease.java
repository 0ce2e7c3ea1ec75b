package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * Answer of audit-service {@code POST /internal/quota/leases} (always 200 for a decision, granted or not).
 * {@code daily} is null when {@code dailyWanted} was 0, {@code rate} is null when {@code rateWanted} was 0.
 * A block with {@code granted == 0} is a refusal: its limit is reached, and {@code limit}, {@code remaining} and
 * {@code resetsAt} say so (QUOTA_EXCEEDED for the daily block, RATE_LIMITED for the rate block).
 */
@Serdeable
public record QuotaLease(@Nullable Block daily, @Nullable Block rate) {

    /**
     * Slots the holder may spend from memory, one per tool call that reaches the tool step.
     *
     * @param blockId   the ledger's id of this block (null for a refusal: nothing was granted); returned with {@link QuotaLeaseReturn} and, for a daily block,
     *                  carried by each {@code ToolCallEvent} of a call that kept its slot ({@code quotaBlockId}),
     *                  which is how the ledger learns what an expired, never returned block spent
     * @param granted   slots granted; 0 = refused, the limit is reached
     * @param limit     the counter's limit; -1 = unlimited (then {@code granted} may be large)
     * @param remaining what is left in the ledger after this grant, not counting slots held in anyone's blocks
     *                  (-1 when unlimited)
     * @param resetsAt  end of the UTC day (daily block) or of the UTC minute (rate block) the block belongs to
     * @param expiresAt after this instant the holder must not spend the block's slots any more; never later than
     *                  {@code resetsAt}; for a refusal, the instant of the decision
     */
    @Serdeable
    public record Block(@Nullable String blockId, int granted, long limit, long remaining, Instant resetsAt, Instant expiresAt) {

        public boolean refused() {
            return granted == 0;
        }
    }
}
