package com.backlogmcp.contracts.internal;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of audit-service {@code POST /internal/quota/leases}: the edge replica {@code holder} asks for a block of
 * {@code dailyWanted} calls of {@code projectId}'s current UTC day (the limit follows {@code plan}) and a block of
 * {@code rateWanted} calls of {@code credentialId}'s current UTC minute. Either wanted may be 0 (no block of that
 * kind is asked for, and the answer's block is null). {@code holder} is the edge replica's id, random per process
 * start; the ledger records it with each block so an operator can see who holds what.
 */
@Serdeable
public record QuotaLeaseRequest(
        String projectId,
        String plan,
        String credentialId,
        String holder,
        int dailyWanted,
        int rateWanted) {
}
