package com.backlogmcp.contracts.internal;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Body of audit-service {@code POST /internal/quota/leases/return} (answer 204): the unused slots of each block go
 * back to the ledger; the spent ones ({@code granted - unused}) are counted as used. Idempotent per blockId: a second
 * return of the same block, or a return of a block the ledger already reclaimed after its expiry, changes nothing.
 */
@Serdeable
public record QuotaLeaseReturn(List<ReturnedBlock> blocks) {

    /** One block given back: {@code unused} slots of it were never spent ({@code 0 <= unused <= granted}). */
    @Serdeable
    public record ReturnedBlock(String blockId, int unused) {
    }
}
