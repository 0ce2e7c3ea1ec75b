package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.web.ApiError;
import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn.ReturnedBlock;
import com.backlogmcp.contracts.vocabulary.Plan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;

import java.util.Locale;

/**
 * {@code POST /internal/quota/leases} and {@code POST /internal/quota/leases/return} (service credentials only, by the
 * {@code /internal/**} filter). A lease answers 200 with a decision per asked kind, granted or refused; a return
 * answers 204, or 404 naming unknown blocks (nothing applied), or 400 for an impossible {@code unused}.
 */
@Controller("/internal/quota/leases")
@ExecuteOn(TaskExecutors.BLOCKING)
class LeaseController {

    private final QuotaLeases leases;
    private final QuotaLimits limits;
    private final MeterRegistry meters;

    LeaseController(QuotaLeases leases, QuotaLimits limits, MeterRegistry meters) {
        this.leases = leases;
        this.limits = limits;
        this.meters = meters;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    QuotaLease lease(@Valid @Body LeaseBody body) {
        Plan plan = Plan.fromWire(body.plan().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new InvalidRequestException("plan must be one of free, pro, business, enterprise"));
        if (body.dailyWanted() == 0 && body.rateWanted() == 0) {
            throw new InvalidRequestException("dailyWanted or rateWanted must be positive");
        }
        QuotaLease lease = leases.lease(new QuotaLeases.LeaseAsk(body.projectId(), limits.dailyLimit(plan),
                body.dailyWanted(), body.credentialId(), limits.rateLimit(), body.rateWanted(), body.holder()));
        count(CounterTable.DAILY, lease.daily());
        count(CounterTable.RATE, lease.rate());
        return lease;
    }

    @Post(uri = "/return", consumes = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.NO_CONTENT)
    void giveBack(@Valid @Body ReturnBody body) {
        QuotaLeases.ReturnOutcome outcome = leases.giveBack(body.blocks().stream()
                .map(b -> new ReturnedBlock(b.blockId(), b.unused())).toList());
        meters.counter("audit.quota.lease.returns", "result", "settled").increment(outcome.settled());
        meters.counter("audit.quota.lease.returns", "result", "already_settled").increment(outcome.alreadySettled());
    }

    @Error(exception = UnknownBlocksException.class)
    HttpResponse<ApiError> unknownBlocks(HttpRequest<?> request, UnknownBlocksException e) {
        return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND)
                .body(new ApiError("unknown_block", "no such quota lease block: " + String.join(", ", e.blockIds())
                        + " (nothing was returned)"));
    }

    private void count(CounterTable counter, QuotaLease.Block block) {
        if (block == null) {
            return;
        }
        meters.counter("audit.quota.lease.blocks", "kind", counter.kind,
                "result", block.refused() ? "refused" : "granted").increment();
        meters.counter("audit.quota.lease.slots", "kind", counter.kind).increment(block.granted());
    }
}
