package com.backlogmcp.audit.quota;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The wire shape of {@code contracts.internal.QuotaReserveRequest}, read strictly: an unknown field is a caller bug
 * (a renamed field would otherwise silently reserve against the wrong key), so it is refused with 400.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
record ReserveBody(
        @NotBlank @Size(max = 200) String projectId,
        @NotBlank @Size(max = 200) String credentialId,
        @NotBlank @Size(max = 40) String plan,
        @Nullable @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9_.:-]*") String tool) {
}
