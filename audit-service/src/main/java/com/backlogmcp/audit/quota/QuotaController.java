package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.contracts.internal.QuotaDecision;
import com.backlogmcp.contracts.vocabulary.Plan;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;

/**
 * {@code POST /internal/quota/reserve} (service credentials only, enforced by the {@code /internal/**} filter):
 * reserves one tool call and answers granted or refused with both counters' state. Always 200 for a decision.
 */
@Controller("/internal/quota")
@ExecuteOn(TaskExecutors.BLOCKING)
class QuotaController {

    private final QuotaLedger ledger;
    private final QuotaLimits limits;

    QuotaController(QuotaLedger ledger, QuotaLimits limits) {
        this.ledger = ledger;
        this.limits = limits;
    }

    @Post(uri = "/reserve", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    QuotaDecision reserve(@Valid @Body ReserveBody body) {
        Plan plan = Plan.fromWire(body.plan())
                .orElseThrow(() -> new InvalidRequestException("plan must be one of free, pro, business, enterprise"));
        return ledger.reserve(body.projectId(), body.credentialId(), limits.dailyLimit(plan), limits.rateLimit());
    }
}
