package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.contracts.internal.QuotaDecision;
import com.backlogmcp.contracts.vocabulary.Plan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;

import java.util.Locale;

/**
 * {@code POST /internal/quota/reserve} (service credentials only, enforced by the {@code /internal/**} filter):
 * reserves one tool call and answers granted or refused with both counters' state. Always 200 for a decision.
 */
@Controller("/internal/quota")
@ExecuteOn(TaskExecutors.BLOCKING)
class QuotaController {

    private final QuotaLedger ledger;
    private final QuotaLimits limits;
    private final MeterRegistry meters;

    QuotaController(QuotaLedger ledger, QuotaLimits limits, MeterRegistry meters) {
        this.ledger = ledger;
        this.limits = limits;
        this.meters = meters;
    }

    @Post(uri = "/reserve", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    QuotaDecision reserve(@Valid @Body ReserveBody body) {
        // case-insensitive: a caller passing the enum name (FREE) means the same plan as the wire form (free)
        Plan plan = Plan.fromWire(body.plan().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new InvalidRequestException("plan must be one of free, pro, business, enterprise"));
        QuotaDecision decision = ledger.reserve(body.projectId(), body.credentialId(), limits.dailyLimit(plan), limits.rateLimit());
        meters.counter("audit.quota.reservations", "plan", plan.wire(),
                "result", decision.granted() ? "granted" : decision.refusal()).increment();
        return decision;
    }
}
