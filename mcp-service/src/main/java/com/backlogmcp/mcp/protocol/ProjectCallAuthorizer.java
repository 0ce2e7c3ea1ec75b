package com.backlogmcp.mcp.protocol;

import com.backlogmcp.mcp.pipeline.AuthorizationPipeline;
import com.backlogmcp.mcp.pipeline.Denial;
import com.backlogmcp.mcp.pipeline.McpCall;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import com.backlogmcp.mcp.quota.RateLimitHeaders;
import jakarta.inject.Singleton;

import java.util.Map;

import java.util.Optional;
import java.util.function.Supplier;

/** Runs steps 4–9 for a method touching project data and renders a refusal through {@link DenialRenderer}. */
@Singleton
public class ProjectCallAuthorizer {

    private final AuthorizationPipeline pipeline;
    private final DenialRenderer renderer;

    public ProjectCallAuthorizer(AuthorizationPipeline pipeline, DenialRenderer renderer) {
        this.pipeline = pipeline;
        this.renderer = renderer;
    }

    /** Empty when the call may go on (for a tool call: it ran, see {@link McpCall#result()}). */
    public Optional<McpReply> authorize(McpRequest request, McpCall call) {
        return pipeline.authorize(call).map(d -> withRateHeaders(render(request, call, d), call));
    }

    /** {@code reply} with the credential's rate headers, when step 8 metered {@code call} (one builder for all). */
    public McpReply withRateHeaders(McpReply reply, McpCall call) {
        Map<String, String> rate = RateLimitHeaders.of(call.rateWindow());
        if (rate.isEmpty() || reply.headers().containsKey(RateLimitHeaders.LIMIT)) {
            return reply;
        }
        return reply.withHeaders(rate);
    }

    public McpReply render(McpRequest request, McpCall call, Denial denial) {
        return renderer.render(denial, request.id(), request.endpoint(), call.principal());
    }

    /** {@code answer}'s reply, or the UPSTREAM_UNAVAILABLE refusal when a neighbour did not answer while producing it. */
    public McpReply unlessUpstreamUnavailable(McpRequest request, Supplier<McpReply> answer) {
        try {
            return answer.get();
        } catch (UpstreamUnavailableException e) {
            return upstreamUnavailable(request);
        }
    }

    public McpReply upstreamUnavailable(McpRequest request) {
        return render(request, request.authenticated(), Denial.upstreamUnavailable("A backend service did not answer in time."));
    }
}
