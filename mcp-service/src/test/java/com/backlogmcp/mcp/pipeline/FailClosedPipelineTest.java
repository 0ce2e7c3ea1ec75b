package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.backlogmcp.mcp.audit.ArgsHasher;
import com.backlogmcp.mcp.audit.AuditTrail;
import com.backlogmcp.mcp.audit.ArgsHasherTest;
import com.backlogmcp.mcp.TestStack;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step that throws denies the call, and no later step runs. */
class FailClosedPipelineTest {

    private final AuditTrail trail = new AuditTrail(10, events -> List.of());
    private final ArgsHasher hasher = new ArgsHasher(JsonMapper.createDefault(), ArgsHasherTest.config(TestStack.ARGS_HASH_SECRET));
    private final List<Integer> ran = new ArrayList<>();

    @AfterEach
    void close() {
        trail.close();
    }

    private AuthorizationStep step(int order, RuntimeException failure) {
        return new AuthorizationStep() {
            @Override
            public int order() {
                return order;
            }

            @Override
            public boolean appliesTo(McpCall call) {
                return true;
            }

            @Override
            public Optional<Denial> apply(McpCall call) {
                ran.add(order);
                if (failure != null) {
                    throw failure;
                }
                return Optional.empty();
            }
        };
    }

    private static McpCall call() {
        return new McpCall("prj_acme", "resources/list", "Bearer x", null);
    }

    @Test
    void authenticationStepWhenThrowsThenUnauthenticatedAndLaterStepsSkipped() {
        AuthorizationPipeline pipeline = new AuthorizationPipeline(
                List.of(step(3, null), step(2, new IllegalStateException("boom")), step(1, null)), trail, hasher);
        Optional<Denial> denial = pipeline.authenticate(call());
        assertEquals(ErrorType.UNAUTHENTICATED, denial.orElseThrow().errorType());
        assertEquals(List.of(1, 2), ran);
    }

    @Test
    void authorizationStepWhenThrowsThenForbiddenAndLaterStepsSkipped() {
        AuthorizationPipeline pipeline = new AuthorizationPipeline(
                List.of(step(4, null), step(5, new NullPointerException()), step(6, null)), trail, hasher);
        Optional<Denial> denial = pipeline.authorize(call());
        assertEquals(ErrorType.FORBIDDEN, denial.orElseThrow().errorType());
        assertEquals(List.of(4, 5), ran);
    }

    @Test
    void stepWhenNeighbourUnavailableThenUpstreamUnavailable() {
        AuthorizationPipeline pipeline = new AuthorizationPipeline(
                List.of(step(5, new UpstreamUnavailableException("backlog-service down")), step(6, null)), trail, hasher);
        Denial denial = pipeline.authorize(call()).orElseThrow();
        assertEquals(ErrorType.UPSTREAM_UNAVAILABLE, denial.errorType());
        assertTrue(!ran.contains(6));
    }
}
