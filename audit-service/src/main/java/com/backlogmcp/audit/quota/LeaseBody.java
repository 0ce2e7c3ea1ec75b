package com.backlogmcp.audit.quota;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The wire shape of {@code contracts.internal.QuotaLeaseRequest}, read strictly like {@link ReserveBody}: an unknown
 * field is refused with 400 rather than silently leasing against a wrong key.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
record LeaseBody(
        @NotBlank @Size(max = 200) String projectId,
        @NotBlank @Size(max = 40) String plan,
        @NotBlank @Size(max = 200) String credentialId,
        @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9_.:@/+=-]*") String holder,
        @Min(0) @Max(MAX_WANTED) int dailyWanted,
        @Min(0) @Max(MAX_WANTED) int rateWanted) {

    /** The largest block one ask may want; bigger asks are a caller bug (an edge needs seconds' worth of calls). */
    static final int MAX_WANTED = 100_000;
}
