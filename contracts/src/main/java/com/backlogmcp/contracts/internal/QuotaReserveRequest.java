package com.backlogmcp.contracts.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of audit-service {@code POST /internal/quota/reserve}: reserve one call of {@code tool} in {@code projectId}
 * for {@code credentialId} (a grant id or an API key id) on {@code plan}.
 */
@Serdeable
public record QuotaReserveRequest(String projectId, String credentialId, String plan, @Nullable String tool) {
}
