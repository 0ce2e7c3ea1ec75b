package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.TestStack;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two audit-service instances (own contexts, own connection pools) sharing one database grant the limit exactly. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesQuotaTest {

    private EmbeddedServer first;
    private EmbeddedServer second;

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>(TestStack.properties());
        props.put("backlogmcp.audit-log.consumer-enabled", "false");
        props.put("datasources.default.maximum-pool-size", "8");
        first = ApplicationContext.run(EmbeddedServer.class, props);
        second = ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    void stop() {
        if (first != null) {
            first.getApplicationContext().close();
        }
        if (second != null) {
            second.getApplicationContext().close();
        }
    }

    @Test
    void reserveWhen64ParallelOnTwoInstancesAgainstLimit25ThenExactly25Granted() throws Exception {
        InternalCalls a = new InternalCalls(first.getURI());
        InternalCalls b = new InternalCalls(second.getURI());
        String project = "prj_" + UUID.randomUUID();
        List<HttpResponse<String>> answers = QuotaReservationTest.parallel(64, i ->
                (i % 2 == 0 ? a : b).post("/internal/quota/reserve",
                        InternalCalls.reserveJson(project, "grant_" + i, "free")));

        answers.forEach(r -> assertEquals(200, r.statusCode(), r.body()));
        long granted = answers.stream().filter(r -> r.body().contains("\"granted\":true")).count();
        long refused = answers.stream().filter(r -> r.body().contains("\"refusal\":\"QUOTA_EXCEEDED\"")).count();
        assertEquals(25, granted);
        assertEquals(39, refused);
    }
}
