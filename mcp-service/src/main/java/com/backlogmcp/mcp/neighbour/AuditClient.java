package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.internal.QuotaDecision;
import com.backlogmcp.contracts.internal.QuotaReserveRequest;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;

/** audit-service's quota reservation (step 8). */
@Singleton
public class AuditClient {

    private final HttpClient client;

    public AuditClient(@Client(id = NeighbourIds.AUDIT) HttpClient client) {
        this.client = client;
    }

    public QuotaDecision reserve(QuotaReserveRequest request) {
        NeighbourCall.Answer<QuotaDecision> answer = NeighbourCall.exchange(client, "audit-service",
                HttpRequest.POST("/internal/quota/reserve", request), Argument.of(QuotaDecision.class));
        return answer.body().filter(d -> answer.ok())
                .orElseThrow(() -> new UpstreamUnavailableException("audit-service answered quota with " + answer.status()));
    }
}
