package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.audit.AuditTrail;
import com.backlogmcp.mcp.quota.QuotaLeases;
import com.backlogmcp.mcp.quota.QuotaVerdict;
import com.backlogmcp.mcp.quota.RateLimitHeaders;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Step 8: the call fits the credential's per-minute rate and, for tools/call, the project's daily quota. Every
 * method touching project data is metered per credential (tools, resources, prompts, completions, listings) and
 * answers with the rate headers; only tools/call spends daily quota. Slots come from this replica's
 * {@link QuotaLeases} (blocks leased from audit-service's exact ledger), so the steady state makes no round trip;
 * a call stopped after this step gives its slots back before its answer leaves (see {@link AuthorizationPipeline}).
 * A tool call must also be able to leave an audit record: when the audit buffer is full (Kafka away for long), it
 * is refused before any quota is taken.
 * <p>
 * On a workspace endpoint a call touching a project spends exactly as on that project's endpoint: the project's
 * daily quota, the credential's rate. A call across the workspace (list_projects, a search of every project, the
 * workspace's resources and listings) spends the credential's rate like any call, and a tool call across it spends
 * the daily quota of the workspace itself: a counter of its own in the ledger, keyed by the workspace id and sized
 * by the plan like one project's. Cross-project reads are thus bounded every day without draining the budget of
 * any one project, whose quota stays what its own calls spent (docs/architecture.md §2).
 */
@Singleton
final class QuotaStep extends OrderedStep {

    static final int ORDER = 8;

    private final QuotaLeases leases;
    private final AuditTrail trail;
    private final ProjectFacts facts;
    private final Clock clock = Clock.systemUTC();

    QuotaStep(QuotaLeases leases, AuditTrail trail, ProjectFacts facts) {
        super(ORDER, PROJECT_DATA);
        this.leases = leases;
        this.trail = trail;
        this.facts = facts;
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        if (call.isToolCall()) {
            if (!trail.reserveSlot()) {
                return Optional.of(Denial.upstreamUnavailable("The audit log cannot take more records right now; the call was not run."));
            }
            call.auditSlotHeld(true);
        }
        // The plan sizes the daily limit in the ledger (the project's, or the workspace's own for a call across it);
        // the one remembered from the last answer is used, read live only the first time this replica sees the
        // project or workspace.
        String plan = (call.acrossWorkspace() ? facts.planOfWorkspace(call.endpoint().id())
                : facts.of(call.projectId()).map(ProjectFacts.Facts::plan))
                .orElseGet(() -> call.authz().map(AuthzContext::plan).orElse(null));
        if (plan == null) {
            // No such project (or workspace): nothing to count against. Step 5 reports it (the lower-numbered refusal wins).
            return Optional.of(Denial.of(ErrorType.NOT_FOUND, 404, call.acrossWorkspace()
                    ? "Workspace " + call.endpoint().id() + " does not exist." : "Project " + call.projectId() + " does not exist."));
        }
        QuotaVerdict verdict = leases.acquire(call.meteredUnder(), plan, call.principal().credentialId(), call.isToolCall());
        call.rateWindow(verdict.rateWindow());
        return switch (verdict) {
            case QuotaVerdict.Granted granted -> {
                call.slots(granted.slots());
                yield Optional.empty();
            }
            case QuotaVerdict.RateLimited limited -> Optional.of(Denial.of(ErrorType.RATE_LIMITED, 429,
                            "Rate limit of " + limited.rateWindow().limit() + " calls per minute reached.")
                    .withDetails(Map.of("limit", limited.rateWindow().limit(), "resets_at", limited.rateWindow().resetsAt().toString()))
                    .withHeaders(RateLimitHeaders.refused(limited.rateWindow(), clock)));
            case QuotaVerdict.DailyQuotaSpent spent -> {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("limit", spent.limit());
                details.put("used", spent.used());
                details.put("resets_at", spent.resetsAt().toString());
                yield Optional.of(Denial.of(ErrorType.QUOTA_EXCEEDED, 200,
                        (call.acrossWorkspace() ? "The workspace's daily quota of " + spent.limit() + " tool calls across its projects"
                                : "The project's daily quota of " + spent.limit() + " tool calls") + " is spent.").withDetails(details));
            }
        };
    }
}
