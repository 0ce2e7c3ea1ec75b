package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.MutableClock;
import com.backlogmcp.audit.TestDb;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.contracts.internal.QuotaDecision;
import com.backlogmcp.contracts.internal.QuotaLease;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.backlogmcp.audit.quota.LeaseCalls.dailyOutstanding;
import static com.backlogmcp.audit.quota.LeaseCalls.dailyUsed;
import static com.backlogmcp.audit.quota.LeaseCalls.rateOutstanding;
import static com.backlogmcp.audit.quota.LeaseCalls.rateUsed;
import static com.backlogmcp.audit.quota.LeaseCalls.settled;
import static com.backlogmcp.audit.quota.LeaseCalls.spent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One ledger: block sizes, refusals, returns and their idempotence, rate blocks, and the reserve path beside leases. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaLeaseTest implements TestPropertyProvider {

    private static final int RATE_LIMIT = 10;
    private static final Instant NOON = Instant.parse("2026-11-22T12:00:30Z");
    private static final Instant DAY_END = Instant.parse("2026-11-23T00:00:00Z");

    @Inject
    EmbeddedServer server;
    @Inject
    MutableClock clock;
    @Inject
    ObjectMapper json;
    @Inject
    LeaseReclaimer reclaimer;

    LeaseCalls leases;
    String project;
    String holder;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("test.mutable-clock", "true");
        p.put("backlogmcp.quota.rate-per-minute", String.valueOf(RATE_LIMIT));
        p.put("backlogmcp.audit-log.consumer-enabled", "false");
        p.put("backlogmcp.quota.lease.reclaim-enabled", "false");
        return p;
    }

    @BeforeAll
    void client() {
        leases = new LeaseCalls(server.getURI(), json);
    }

    @org.junit.jupiter.api.BeforeEach
    void freshProject() {
        clock.set(NOON);
        project = "prj_" + UUID.randomUUID();
        holder = "edge_" + UUID.randomUUID();
    }

    @Test
    void leaseWhenNearTheLimitThenBlocksShrinkToOneSlotAndTheLimitIsExact() {
        List<Integer> sizes = new ArrayList<>();
        QuotaLease.Block block;
        while (!(block = leases.daily(project, "free", holder, 50).daily()).refused()) {
            sizes.add(block.granted());
            assertEquals(25, block.limit());
            assertEquals(DAY_END, block.resetsAt());
            assertEquals(NOON.plusSeconds(30), block.expiresAt());
            assertEquals(25 - sizes.stream().mapToInt(Integer::intValue).sum(), block.remaining());
        }
        // 25/8 = 3, then shares of what is left, one slot at a time at the end
        List<Integer> expected = new ArrayList<>(List.of(3, 2, 2, 2, 2));
        expected.addAll(java.util.Collections.nCopies(14, 1));
        assertEquals(expected, sizes);
        assertEquals(25, sizes.stream().mapToInt(Integer::intValue).sum());
        assertEquals(0, block.granted());
        assertNull(block.blockId());
        assertEquals(25, block.limit());
        assertEquals(0, block.remaining());
        assertEquals(DAY_END, block.resetsAt());
        assertEquals(25, dailyOutstanding(project));
        assertEquals(0, dailyUsed(project));
    }

    @Test
    void leaseWhenWantedIsSmallThenGrantedAsWanted() {
        QuotaLease lease = leases.daily(project, "pro", holder, 5);
        assertEquals(5, lease.daily().granted());
        assertEquals(295, lease.daily().remaining());
        assertNull(lease.rate());
    }

    @Test
    void returnWhenPartlySpentThenSpentCountsAndTheRestGoesBack() {
        QuotaLease.Block block = leases.daily(project, "free", holder, 3).daily();
        assertEquals(3, block.granted());

        assertEquals(204, leases.giveBack(block.blockId(), 1).statusCode());
        assertEquals(2, dailyUsed(project));
        assertEquals(0, dailyOutstanding(project));
        assertEquals(2, spent(block.blockId()));
        assertEquals(1, settled(block.blockId(), "returned"));
        assertEquals(22, leases.daily(project, "free", holder, 1).daily().remaining());
    }

    @Test
    void returnWhenRepeatedThenNothingChangesTheSecondTime() {
        QuotaLease.Block block = leases.daily(project, "free", holder, 3).daily();
        assertEquals(204, leases.giveBack(block.blockId(), 0).statusCode());
        assertEquals(204, leases.giveBack(block.blockId(), 3).statusCode());
        assertEquals(204, leases.postRaw("/internal/quota/leases/return", "{\"blocks\":[{\"blockId\":\""
                + block.blockId() + "\",\"unused\":2},{\"blockId\":\"" + block.blockId() + "\",\"unused\":1}]}").statusCode());
        assertEquals(3, dailyUsed(project));
        assertEquals(0, dailyOutstanding(project));
        assertEquals(3, spent(block.blockId()));
    }

    @Test
    void returnWhenAnyBlockUnknownThen404AndNothingReturned() {
        QuotaLease.Block block = leases.daily(project, "free", holder, 3).daily();
        HttpResponse<String> r = leases.postRaw("/internal/quota/leases/return", "{\"blocks\":[{\"blockId\":\""
                + block.blockId() + "\",\"unused\":3},{\"blockId\":\"qb_never_granted\",\"unused\":1}]}");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("\"error\":\"unknown_block\""), r.body());
        assertTrue(r.body().contains("qb_never_granted"), r.body());
        assertEquals(3, dailyOutstanding(project));
        assertEquals(-1, spent(block.blockId()));
    }

    @Test
    void returnWhenUnusedExceedsGrantedThen400AndNothingReturned() {
        QuotaLease.Block block = leases.daily(project, "free", holder, 3).daily();
        HttpResponse<String> r = leases.giveBack(block.blockId(), 4);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"error\":\"invalid_request\""), r.body());
        assertEquals(3, dailyOutstanding(project));
        assertEquals(0, dailyUsed(project));
    }

    @Test
    void leaseWhenRateBlocksSpentThenRefusedUntilTheNextMinute() {
        String credential = "grant_" + UUID.randomUUID();
        int granted = 0;
        QuotaLease.Block rate;
        while (!(rate = leases.lease(project, "business", credential, holder, 0, 100).rate()).refused()) {
            granted += rate.granted();
            assertEquals(Instant.parse("2026-11-22T12:01:00Z"), rate.resetsAt());
            assertEquals(rate.resetsAt(), rate.expiresAt());
        }
        assertEquals(RATE_LIMIT, granted);
        assertEquals(RATE_LIMIT, rate.limit());
        assertEquals(0, rate.remaining());
        assertEquals(Instant.parse("2026-11-22T12:01:00Z"), rate.resetsAt());

        clock.set(Instant.parse("2026-11-22T12:01:00Z"));
        QuotaLease.Block next = leases.lease(project, "business", credential, holder, 0, 100).rate();
        assertEquals(1, next.granted());
        assertEquals(RATE_LIMIT - 1, next.remaining());
        assertEquals(Instant.parse("2026-11-22T12:02:00Z"), next.resetsAt());
    }

    @Test
    void leaseWhenBothAskedThenEachDecidedOnItsOwn() {
        String credential = "grant_" + UUID.randomUUID();
        for (int i = 0; i < RATE_LIMIT; i++) {
            leases.lease(project, "pro", credential, holder, 0, 1);
        }
        QuotaLease both = leases.lease(project, "pro", credential, holder, 4, 1);
        assertTrue(both.rate().refused());
        assertEquals(4, both.daily().granted());
        assertNotNull(both.daily().blockId());
    }

    @Test
    void rateBlockWhenItsMinuteIsOverThenSettledAsSpentByTheReclaimer() {
        String credential = "grant_" + UUID.randomUUID();
        QuotaLease.Block rate = leases.lease(project, "pro", credential, holder, 0, 1).rate();
        assertEquals(1, rateOutstanding(credential));

        clock.set(Instant.parse("2026-11-22T12:01:00Z"));
        reclaimer.reclaimExpired();
        assertEquals(1, settled(rate.blockId(), "reclaimed"));
        assertEquals(0, rateOutstanding(credential));
        assertEquals(1, rateUsed(credential));
    }

    @Test
    void leaseWhenUnlimitedPlanThenGrantedAsWantedWithLimitMinusOne() {
        QuotaLease.Block block = leases.daily(project, "enterprise", holder, 5000).daily();
        assertEquals(5000, block.granted());
        assertEquals(-1, block.limit());
        assertEquals(-1, block.remaining());
    }

    @Test
    void leaseWhenBlockExpiresBeforeMidnightThenExpiryIsTheDayEnd() {
        clock.set(Instant.parse("2026-11-22T23:59:50Z"));
        QuotaLease.Block block = leases.daily(project, "pro", holder, 5).daily();
        assertEquals(DAY_END, block.expiresAt());
        assertEquals(DAY_END, block.resetsAt());
    }

    @Test
    void reserveWhenLeasesHoldTheRemainderThenRefusedAndAfterAReturnGranted() {
        String credential = "grant_" + UUID.randomUUID();
        List<QuotaLease.Block> held = new ArrayList<>();
        QuotaLease.Block block;
        while (!(block = leases.daily(project, "free", holder, 50).daily()).refused()) {
            held.add(block);
        }
        QuotaDecision refused = reserve(credential);
        assertFalse(refused.granted());
        assertEquals("QUOTA_EXCEEDED", refused.refusal());
        assertEquals(25, refused.dailyUsed());

        assertEquals(204, leases.giveBack(held.getFirst().blockId(), 1).statusCode());
        assertTrue(reserve(credential).granted());
        assertFalse(reserve(credential).granted());
    }

    private QuotaDecision reserve(String credential) {
        HttpResponse<String> r = new InternalCalls(server.getURI()).post("/internal/quota/reserve",
                InternalCalls.reserveJson(project, credential, "free"));
        assertEquals(200, r.statusCode(), r.body());
        try {
            return json.readValue(r.body(), QuotaDecision.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badLeases() {
        String ok = "\"projectId\":\"prj_bad\",\"credentialId\":\"gr_bad\",\"holder\":\"edge_bad\"";
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("unknown plan",
                        "{" + ok + ",\"plan\":\"platinum\",\"dailyWanted\":1,\"rateWanted\":1}", "plan"),
                org.junit.jupiter.params.provider.Arguments.of("negative dailyWanted",
                        "{" + ok + ",\"plan\":\"free\",\"dailyWanted\":-1,\"rateWanted\":1}", "dailyWanted"),
                org.junit.jupiter.params.provider.Arguments.of("negative rateWanted",
                        "{" + ok + ",\"plan\":\"free\",\"dailyWanted\":1,\"rateWanted\":-5}", "rateWanted"),
                org.junit.jupiter.params.provider.Arguments.of("nothing wanted",
                        "{" + ok + ",\"plan\":\"free\",\"dailyWanted\":0,\"rateWanted\":0}", "must be positive"),
                org.junit.jupiter.params.provider.Arguments.of("wanted too large",
                        "{" + ok + ",\"plan\":\"free\",\"dailyWanted\":100001,\"rateWanted\":0}", "dailyWanted"),
                org.junit.jupiter.params.provider.Arguments.of("missing holder",
                        "{\"projectId\":\"prj_bad\",\"credentialId\":\"gr_bad\",\"plan\":\"free\",\"dailyWanted\":1,\"rateWanted\":0}", "holder"),
                org.junit.jupiter.params.provider.Arguments.of("unknown field",
                        "{" + ok + ",\"plan\":\"free\",\"dailyWanted\":1,\"rateWanted\":0,\"slots\":9}", ""),
                org.junit.jupiter.params.provider.Arguments.of("wrong type",
                        "{" + ok + ",\"plan\":\"free\",\"dailyWanted\":\"many\",\"rateWanted\":0}", ""),
                org.junit.jupiter.params.provider.Arguments.of("malformed JSON", "{" + ok + ",", ""));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("badLeases")
    void leaseWhenBodyInvalidThen400AndNothingGranted(String why, String body, String mentioned) {
        HttpResponse<String> r = leases.postRaw("/internal/quota/leases", body);
        assertEquals(400, r.statusCode(), why + ": " + r.body());
        assertTrue(r.body().startsWith("{"), r.body());
        assertTrue(r.body().contains(mentioned), why + ": " + r.body());
        assertEquals(0, TestDb.count("SELECT count(*) FROM quota_lease WHERE subject_id IN ('prj_bad', 'gr_bad')"));
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badReturns() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("no blocks", "{\"blocks\":[]}", 400),
                org.junit.jupiter.params.provider.Arguments.of("blocks missing", "{}", 400),
                org.junit.jupiter.params.provider.Arguments.of("negative unused",
                        "{\"blocks\":[{\"blockId\":\"qb_x\",\"unused\":-1}]}", 400),
                org.junit.jupiter.params.provider.Arguments.of("blank id", "{\"blocks\":[{\"blockId\":\"\",\"unused\":0}]}", 400),
                org.junit.jupiter.params.provider.Arguments.of("id with odd characters",
                        "{\"blocks\":[{\"blockId\":\"qb x<script>\",\"unused\":0}]}", 400),
                org.junit.jupiter.params.provider.Arguments.of("unknown block",
                        "{\"blocks\":[{\"blockId\":\"qb_unknown\",\"unused\":0}]}", 404),
                org.junit.jupiter.params.provider.Arguments.of("malformed JSON", "{\"blocks\":[", 400));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("badReturns")
    void returnWhenBodyInvalidThenClear4xx(String why, String body, int status) {
        HttpResponse<String> r = leases.postRaw("/internal/quota/leases/return", body);
        assertEquals(status, r.statusCode(), why + ": " + r.body());
        assertTrue(r.body().startsWith("{"), r.body());
    }

    @Test
    void leaseWhenNoServiceCredentialThen401() {
        HttpResponse<String> r = new InternalCalls(server.getURI()).send(java.net.http.HttpRequest.newBuilder(
                        server.getURI().resolve("/internal/quota/leases"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"projectId\":\"" + project
                        + "\",\"plan\":\"free\",\"credentialId\":\"g\",\"holder\":\"h\",\"dailyWanted\":1,\"rateWanted\":1}"))
                .build());
        assertEquals(401, r.statusCode());
        assertEquals(0, dailyOutstanding(project));
    }
}
