package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.internal.QuotaDecision;
import com.backlogmcp.contracts.internal.QuotaReserveRequest;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.audit.AuditTrail;
import com.backlogmcp.mcp.neighbour.AuditClient;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Step 8: the call fits the project's daily quota and the credential's per-minute rate, reserved atomically by
 * audit-service (exact across replicas). It runs last among the checks so that a call denied by steps 1–7
 * consumes nothing. First, though, the call must be able to leave an audit record: when the audit buffer is
 * full (Kafka away for long), it is refused before any quota is spent.
 */
@Singleton
final class QuotaStep extends OrderedStep {

    static final int ORDER = 8;

    private final AuditClient audit;
    private final AuditTrail trail;
    private final Clock clock = Clock.systemUTC();

    QuotaStep(AuditClient audit, AuditTrail trail) {
        super(ORDER, TOOL_CALLS);
        this.audit = audit;
        this.trail = trail;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        if (!trail.reserveSlot()) {
            return Optional.of(Denial.upstreamUnavailable("The audit log cannot take more records right now; the call was not run."));
        }
        AuthzContext ctx = call.authz().orElseThrow();
        QuotaDecision decision;
        try {
            decision = audit.reserve(new QuotaReserveRequest(call.projectId(), call.principal().credentialId(), ctx.plan(), call.tool().name()));
        } catch (RuntimeException e) {
            trail.releaseSlot();
            throw e;
        }
        call.quota(decision);
        if (decision.granted()) {
            return Optional.empty();
        }
        trail.releaseSlot();
        if (ErrorType.RATE_LIMITED.name().equals(decision.refusal())) {
            Instant resets = decision.rateResetsAt() != null ? decision.rateResetsAt() : clock.instant().plusSeconds(60);
            long retryAfter = Math.max(1, Duration.between(clock.instant(), resets).toSeconds() + 1);
            return Optional.of(Denial.of(ErrorType.RATE_LIMITED, 429, "Rate limit of " + decision.rateLimit() + " calls per minute reached.")
                    .withDetails(Map.of("limit", decision.rateLimit(), "resets_at", resets.toString()))
                    .withHeaders(rateHeaders(decision, retryAfter)));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("limit", decision.dailyLimit());
        details.put("used", decision.dailyUsed());
        details.put("resets_at", String.valueOf(decision.dailyResetsAt()));
        return Optional.of(Denial.of(ErrorType.QUOTA_EXCEEDED, 200,
                "The project's daily quota of " + decision.dailyLimit() + " tool calls is spent.").withDetails(details));
    }

    static Map<String, String> rateHeaders(QuotaDecision d, long retryAfterSeconds) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-RateLimit-Limit", Long.toString(d.rateLimit()));
        h.put("X-RateLimit-Remaining", Long.toString(Math.max(0, d.rateRemaining())));
        h.put("X-RateLimit-Reset", Long.toString(d.rateResetsAt() == null ? Instant.now().getEpochSecond() : d.rateResetsAt().getEpochSecond()));
        if (retryAfterSeconds > 0) {
            h.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        return h;
    }
}
