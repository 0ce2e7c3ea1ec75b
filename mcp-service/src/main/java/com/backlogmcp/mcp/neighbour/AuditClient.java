package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.internal.AuditEventHandoff;
import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseRequest;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;

/**
 * audit-service as the edge uses it: its quota ledger (blocks of calls leased ahead of need and given back unused;
 * the edge never reserves per call, see {@code QuotaLeases}), and its audit log when Kafka cannot take the edge's
 * audit events (see {@code AuditTrail}).
 */
@Singleton
public class AuditClient {

    private static final String NAME = "audit-service";

    private final HttpClient client;

    public AuditClient(@Client(id = NeighbourIds.AUDIT) HttpClient client) {
        this.client = client;
    }

    public QuotaLease lease(QuotaLeaseRequest request) {
        NeighbourCall.Answer<QuotaLease> answer = NeighbourCall.exchange(client, NAME,
                HttpRequest.POST("/internal/quota/leases", request), Argument.of(QuotaLease.class));
        return answer.body().filter(d -> answer.ok())
                .orElseThrow(() -> new UpstreamUnavailableException("audit-service answered a quota lease with " + answer.status()));
    }

    public void giveBack(QuotaLeaseReturn unused) {
        NeighbourCall.Answer<Void> answer = NeighbourCall.exchange(client, NAME,
                HttpRequest.POST("/internal/quota/leases/return", unused), Argument.VOID);
        if (!answer.ok()) {
            throw new UpstreamUnavailableException("audit-service answered a lease return with " + answer.status());
        }
    }

    /** Hands over at most {@link AuditEventHandoff#MAX_EVENTS} events; answers how many were new. */
    public AuditEventHandoff.Stored handOver(AuditEventHandoff events) {
        NeighbourCall.Answer<AuditEventHandoff.Stored> answer = NeighbourCall.exchange(client, NAME,
                HttpRequest.POST("/internal/audit-log/events", events), Argument.of(AuditEventHandoff.Stored.class));
        return answer.body().filter(b -> answer.ok())
                .orElseThrow(() -> new UpstreamUnavailableException("audit-service answered an audit hand-over with " + answer.status()));
    }
}
