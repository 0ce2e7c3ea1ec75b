package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.events.ToolCallEvent;
import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.audit.ArgsHasher;
import com.backlogmcp.mcp.audit.AuditTrail;
import com.backlogmcp.mcp.credential.Principal;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the nine steps (docs/architecture.md §2) in their order. Steps 1–3 authenticate the HTTP request once; steps 4–9 run per
 * MCP request, each only where it applies. A step that throws denies the call: an unreachable neighbour as
 * UPSTREAM_UNAVAILABLE, anything else as the most conservative refusal of its stage (fail closed).
 * Every tool call that got past authentication leaves exactly one audit event.
 */
@Singleton
public class AuthorizationPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationPipeline.class);
    static final int LAST_AUTHENTICATION_STEP = AudienceStep.ORDER;

    private final List<AuthorizationStep> steps;
    private final AuditTrail trail;
    private final ArgsHasher hasher;
    private final MeterRegistry meters;

    @Inject
    public AuthorizationPipeline(List<AuthorizationStep> steps, AuditTrail trail, ArgsHasher hasher, MeterRegistry meters) {
        this.steps = steps.stream().sorted(Comparator.comparingInt(AuthorizationStep::order)).toList();
        this.trail = trail;
        this.hasher = hasher;
        this.meters = meters;
        Gauge.builder("mcp.audit.pending", trail, AuditTrail::pending)
                .description("audit events waiting for Kafka (calls are refused when the buffer is full)").register(meters);
    }

    AuthorizationPipeline(List<AuthorizationStep> steps, AuditTrail trail, ArgsHasher hasher) {
        this(steps, trail, hasher, new SimpleMeterRegistry());
    }

    /** The steps in the order they run (pinned by a test). */
    public List<AuthorizationStep> steps() {
        return steps;
    }

    /** Steps 1–3. */
    public Optional<Denial> authenticate(McpCall call) {
        for (AuthorizationStep step : steps) {
            if (step.order() <= LAST_AUTHENTICATION_STEP && step.appliesTo(call)) {
                Optional<Denial> denial = run(step, call);
                if (denial.isPresent()) {
                    meters.counter("mcp.authentication.refusals", "step", Integer.toString(step.order())).increment();
                    return denial;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Steps 4–9 for an authenticated call; a tool call is executed by step 9 and audited here.
     * <p>
     * For any method but tools/call the steps simply run in order (steps 5–6 read the live context).
     * <p>
     * A tools/call makes one internal round trip in the steady state, whether it touches one project or runs
     * across a workspace. The steps that decide on the live context (5 membership, 6 plan) wait for the context
     * backlog-service returns with the tool's answer (the project's, or the workspace's), read in the tool's own
     * transaction; backlog-service applies the same rules there and runs nothing when one fails, so
     * deciding after the answer never lets a refused call run. The other steps run in order meanwhile: 4 and 7
     * need nothing remote, 8 spends leased slots from memory. The outcome is the same as running strictly in
     * order: when a later step refuses first (a missing scope aside, which needs no context), the waiting steps
     * decide before it on a context read at once, so the lowest-numbered refusal is the one reported. A call
     * refused by steps 5–7 gives its quota slots back before the answer leaves.
     */
    public Optional<Denial> authorize(McpCall call) {
        Optional<Denial> outcome = call.isToolCall() ? authorizeToolCall(call) : authorizeInOrder(call);
        if (outcome.isPresent() && call.slots() != null && !call.mayHaveRun()) {
            call.slots().giveBack();
        }
        if (call.isToolCall()) {
            audit(call, outcome);
            meters.counter("mcp.tool.calls", "outcome", outcome.map(d -> d.errorType().name()).orElse("EXECUTED")).increment();
        }
        return outcome;
    }

    private Optional<Denial> authorizeInOrder(McpCall call) {
        for (AuthorizationStep step : steps) {
            if (step.order() > LAST_AUTHENTICATION_STEP && step.appliesTo(call)) {
                Optional<Denial> denial = run(step, call);
                if (denial.isPresent()) {
                    return denial;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Denial> authorizeToolCall(McpCall call) {
        List<AuthorizationStep> waiting = new ArrayList<>();
        for (AuthorizationStep step : steps) {
            if (step.order() <= LAST_AUTHENTICATION_STEP || !step.appliesTo(call)) {
                continue;
            }
            if (step.decidesOnLiveContext() && !call.contextFromTool()) {
                waiting.add(step);
                continue;
            }
            Optional<Denial> denial = run(step, call);
            boolean refusedOnPolicy = denial.isPresent() && denial.get().errorType() != ErrorType.UPSTREAM_UNAVAILABLE;
            if (!waiting.isEmpty() && (call.contextFromTool() || refusedOnPolicy)) {
                // The tool's answer brought the context, or a later step refused and an earlier refusal must win.
                Optional<Denial> earlier = runAll(waiting, call);
                waiting.clear();
                if (earlier.isPresent()) {
                    return earlier;
                }
            }
            if (denial.isPresent()) {
                return denial;
            }
        }
        // Only when backlog-service answered without its context (see ForwardStep): decide on a fresh read.
        return runAll(waiting, call);
    }

    private Optional<Denial> runAll(List<AuthorizationStep> some, McpCall call) {
        for (AuthorizationStep step : some) {
            Optional<Denial> denial = run(step, call);
            if (denial.isPresent()) {
                return denial;
            }
        }
        return Optional.empty();
    }

    private Optional<Denial> run(AuthorizationStep step, McpCall call) {
        try {
            return step.apply(call);
        } catch (UpstreamUnavailableException e) {
            LOG.warn("step {} could not decide: {}", step.getClass().getSimpleName(), e.getMessage());
            // backlog-service commits nothing past the deadline the edge sends with the call (Headers.CALL_DEADLINE),
            // so a tool that did not answer did not run; only a crash during the commit itself can leave it applied.
            return Optional.of(Denial.upstreamUnavailable(call.mayHaveRun()
                    ? "The tool did not answer in time and was not applied (unless its service failed while committing; "
                      + "check the record before repeating a write)."
                    : "A backend service did not answer in time; the call was not run."));
        } catch (RuntimeException e) {
            LOG.error("step {} failed; denying the call", step.getClass().getSimpleName(), e);
            return Optional.of(step.order() <= LAST_AUTHENTICATION_STEP
                    ? Denial.unauthenticated("The credential could not be verified.", true)
                    : Denial.of(ErrorType.FORBIDDEN, 200, "The call could not be authorized."));
        }
    }

    private void audit(McpCall call, Optional<Denial> denial) {
        Principal p = call.principal();
        String outcome;
        String errorType = null;
        if (denial.isPresent()) {
            outcome = "denied";
            errorType = denial.get().errorType().name();
        } else if (call.result() != null && call.result().isError()) {
            outcome = "tool_error";
            Object type = call.result().structuredContent().get("error_type");
            errorType = type == null ? null : type.toString();
        } else {
            outcome = "ok";
        }
        // A call across a workspace is filed under the workspace id, as its quota is counted (see QuotaStep).
        String workspaceId = call.endpoint().isWorkspace() ? call.endpoint().id()
                : call.loadedAuthz().map(AuthzContext::workspaceId).orElse(p.workspaceId());
        ToolCallEvent event = new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), call.meteredUnder(),
                workspaceId, p.userId(), p.clientId(),
                p.grantId(), p.keyId(), call.tool().name(), hasher.hash(call.arguments()), outcome, errorType,
                (System.nanoTime() - call.startedNanos()) / 1_000_000, call.requestId(),
                call.slots() == null ? null : call.slots().dailyBlockId());
        if (call.auditSlotHeld()) {
            trail.record(event);
        } else {
            trail.recordIfRoom(event);
        }
    }
}
