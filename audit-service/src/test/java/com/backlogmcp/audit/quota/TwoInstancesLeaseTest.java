package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.TestStack;
import com.backlogmcp.contracts.internal.QuotaLease;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.backlogmcp.audit.quota.LeaseCalls.dailyOutstanding;
import static com.backlogmcp.audit.quota.LeaseCalls.dailyUsed;
import static com.backlogmcp.audit.quota.LeaseCalls.rateOutstanding;
import static com.backlogmcp.audit.quota.LeaseCalls.rateUsed;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two audit-service instances (own contexts, own connection pools, one database) and 64 concurrent lease takers, half
 * on each: the takers together spend exactly the limit, never one more, and nothing is stranded when nobody dies.
 * Each taker behaves like an edge replica: lease, spend some or all of the block, return what it did not spend (calls
 * refused after taking a slot), and ask again until refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesLeaseTest {

    private static final int TAKERS = 64;
    private static final int RATE_LIMIT = 200;

    private EmbeddedServer first;
    private EmbeddedServer second;
    private LeaseCalls a;
    private LeaseCalls b;

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>(TestStack.properties());
        props.put("backlogmcp.audit-log.consumer-enabled", "false");
        props.put("backlogmcp.quota.lease.reclaim-enabled", "false");
        props.put("backlogmcp.quota.rate-per-minute", String.valueOf(RATE_LIMIT));
        props.put("datasources.default.maximum-pool-size", "8");
        // both instances read the same frozen instant, so every rate block belongs to one minute
        props.put("test.mutable-clock", "true");
        first = ApplicationContext.run(EmbeddedServer.class, props);
        second = ApplicationContext.run(EmbeddedServer.class, props);
        ObjectMapper json = first.getApplicationContext().getBean(ObjectMapper.class);
        a = new LeaseCalls(first.getURI(), json);
        b = new LeaseCalls(second.getURI(), json);
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
    void dailyBlocksWhen64TakersOnTwoInstancesThenExactlyTheLimitIsSpent() throws Exception {
        String project = "prj_" + UUID.randomUUID();
        List<Integer> spentByTaker = QuotaReservationTest.parallel(TAKERS, i -> {
            LeaseCalls calls = i % 2 == 0 ? a : b;
            String holder = "edge_" + i;
            int spent = 0;
            while (true) {
                QuotaLease.Block block = calls.daily(project, "pro", holder, 10).daily();
                if (block.refused()) {
                    return spent;
                }
                int used = spendSome(block.granted());
                spent += used;
                assertEquals(204, calls.giveBack(block.blockId(), block.granted() - used).statusCode());
            }
        });

        assertEquals(300, spentByTaker.stream().mapToInt(Integer::intValue).sum());
        assertEquals(300, dailyUsed(project));
        assertEquals(0, dailyOutstanding(project));
    }

    @Test
    void rateBlocksWhen64TakersOnTwoInstancesThenExactlyTheMinutesLimitIsSpent() throws Exception {
        String credential = "grant_" + UUID.randomUUID();
        List<Integer> spentByTaker = QuotaReservationTest.parallel(TAKERS, i -> {
            LeaseCalls calls = i % 2 == 0 ? a : b;
            int spent = 0;
            while (true) {
                QuotaLease.Block block = calls.lease("prj_rate", "pro", credential, "edge_" + i, 0, 25).rate();
                if (block.refused()) {
                    return spent;
                }
                int used = spendSome(block.granted());
                spent += used;
                assertEquals(204, calls.giveBack(block.blockId(), block.granted() - used).statusCode());
            }
        });

        assertEquals(RATE_LIMIT, spentByTaker.stream().mapToInt(Integer::intValue).sum());
        assertEquals(RATE_LIMIT, rateUsed(credential));
        assertEquals(0, rateOutstanding(credential));
    }

    /** Usually the whole block; sometimes a part, as when later checks refuse calls that had taken a slot. */
    private static int spendSome(int granted) {
        return ThreadLocalRandom.current().nextInt(4) == 0 ? ThreadLocalRandom.current().nextInt(granted + 1) : granted;
    }
}
