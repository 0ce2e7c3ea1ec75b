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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the steps of DESIGN §2 in their order. Steps 1–3 authenticate the HTTP request once; steps 4–9 run per
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

    /** Steps 4–9 for an authenticated call; a tool call is executed by step 9 and audited here. */
    public Optional<Denial> authorize(McpCall call) {
        Optional<Denial> outcome = Optional.empty();
        for (AuthorizationStep step : steps) {
            if (step.order() > LAST_AUTHENTICATION_STEP && step.appliesTo(call)) {
                outcome = run(step, call);
                if (outcome.isPresent()) {
                    break;
                }
            }
        }
        if (call.isToolCall()) {
            audit(call, outcome);
            meters.counter("mcp.tool.calls", "outcome", outcome.map(d -> d.errorType().name()).orElse("EXECUTED")).increment();
        }
        return outcome;
    }

    private Optional<Denial> run(AuthorizationStep step, McpCall call) {
        try {
            return step.apply(call);
        } catch (UpstreamUnavailableException e) {
            LOG.warn("step {} could not decide: {}", step.getClass().getSimpleName(), e.getMessage());
            return Optional.of(Denial.upstreamUnavailable("A backend service did not answer in time; the call was not run."));
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
            Object type = call.result().structuredContent() == null ? null : call.result().structuredContent().get("error_type");
            errorType = type == null ? null : type.toString();
        } else {
            outcome = "ok";
        }
        ToolCallEvent event = new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), call.projectId(),
                call.loadedAuthz().map(AuthzContext::workspaceId).orElse(p.workspaceId()), p.userId(), p.clientId(),
                p.grantId(), p.keyId(), call.tool().name(), hasher.hash(call.arguments()), outcome, errorType,
                (System.nanoTime() - call.startedNanos()) / 1_000_000, call.requestId());
        boolean slotHeld = call.quota() != null && call.quota().granted();
        if (slotHeld) {
            trail.record(event);
        } else {
            trail.recordIfRoom(event);
        }
    }
}
