package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestDb;
import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseRequest;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lease and return over HTTP with the contract's own DTOs, as the edge calls them; plus the ledger's rows. */
final class LeaseCalls {

    private final InternalCalls calls;
    private final ObjectMapper json;

    LeaseCalls(URI base, ObjectMapper json) {
        this.calls = new InternalCalls(base);
        this.json = json;
    }

    QuotaLease lease(String project, String plan, String credential, String holder, int dailyWanted, int rateWanted) {
        HttpResponse<String> r = post("/internal/quota/leases",
                new QuotaLeaseRequest(project, plan, credential, holder, dailyWanted, rateWanted));
        assertEquals(200, r.statusCode(), r.body());
        try {
            return json.readValue(r.body(), QuotaLease.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    QuotaLease daily(String project, String plan, String holder, int wanted) {
        return lease(project, plan, "cred_unused", holder, wanted, 0);
    }

    HttpResponse<String> giveBack(String blockId, int unused) {
        return post("/internal/quota/leases/return",
                new QuotaLeaseReturn(List.of(new QuotaLeaseReturn.ReturnedBlock(blockId, unused))));
    }

    HttpResponse<String> post(String path, Object body) {
        try {
            return calls.post(path, json.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> postRaw(String path, String body) {
        return calls.post(path, body);
    }

    static long dailyUsed(String project) {
        return TestDb.count("SELECT coalesce(sum(used), 0) FROM daily_quota WHERE project_id = ?", project);
    }

    static long dailyOutstanding(String project) {
        return TestDb.count("SELECT coalesce(sum(outstanding), 0) FROM daily_quota WHERE project_id = ?", project);
    }

    static long rateUsed(String credential) {
        return TestDb.count("SELECT coalesce(sum(used), 0) FROM rate_window WHERE credential_id = ?", credential);
    }

    static long rateOutstanding(String credential) {
        return TestDb.count("SELECT coalesce(sum(outstanding), 0) FROM rate_window WHERE credential_id = ?", credential);
    }

    static long spent(String blockId) {
        return TestDb.count("SELECT coalesce(spent, -1) FROM quota_lease WHERE block_id = ?", blockId);
    }

    static long settled(String blockId, String settlement) {
        return TestDb.count("SELECT count(*) FROM quota_lease WHERE block_id = ? AND settlement = ?", blockId, settlement);
    }
}
