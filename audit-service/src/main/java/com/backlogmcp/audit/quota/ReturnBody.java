package com.backlogmcp.audit.quota;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The wire shape of {@code contracts.internal.QuotaLeaseReturn}, read strictly; at most 1000 blocks per return. */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
record ReturnBody(@NotNull @NotEmpty @Size(max = 1000) List<@Valid @NotNull Returned> blocks) {

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Returned(@NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9_.:-]*") String blockId,
                    @Min(0) int unused) {
    }
}
