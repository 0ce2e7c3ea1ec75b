package com.backlogmcp.contracts.internal;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * Answer of auth-service {@code GET /internal/revocations?after=<cursor>} (or {@code ?since=<instant>} for a first
 * page): the grants and API keys revoked after the cursor, oldest first, the same revocations {@code auth.grants.v1}
 * carries. The caller asks again with {@code next}; {@code more} says another page is ready at once.
 */
@Serdeable
public record RevocationPage(List<Revocation> revocations, long next, boolean more) {

    /** An empty list may be left out of the JSON; it reads back as empty. */
    public RevocationPage {
        revocations = revocations == null ? List.of() : List.copyOf(revocations);
    }

    /** One revoked credential: a grant id or an API key id, and when it was revoked. */
    @Serdeable
    public record Revocation(String credentialId, Instant at) {
    }
}
