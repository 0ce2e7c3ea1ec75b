package com.backlogmcp.audit.usage;

import com.backlogmcp.audit.InternalCalls;
import com.backlogmcp.audit.MutableClock;
import com.backlogmcp.audit.TestDb;
import com.backlogmcp.audit.TestStack;
import com.backlogmcp.audit.ToolCallEvents;
import com.backlogmcp.audit.auditlog.AuditEntry;
import com.backlogmcp.audit.auditlog.AuditLogPage;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read side for auth-service's pages, fed through the real topic. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageAndAuditLogQueriesTest implements TestPropertyProvider {

    private static final String[][] EVENTS = {
            // at, user, tool, outcome
            {"2026-11-18T10:00:00Z", "u1", "list_items", "ok"},
            {"2026-11-18T11:00:00Z", "u1", "list_items", "ok"},
            {"2026-11-18T12:00:00Z", "u2", "create_item", "tool_error"},
            {"2026-11-18T13:00:00Z", "u1", "list_items", "denied"},
            {"2026-11-19T01:00:00Z", "u2", "list_items", "ok"},
            {"2026-11-19T02:00:00Z", "u1", "create_item", "ok"},
            {"2026-11-19T03:00:00Z", "u1", "list_items", "ok"},
            {"2026-11-19T04:00:00Z", "u2", "list_items", "ok"},
            {"2026-11-19T05:00:00Z", "u1", "create_item", "ok"},
            {"2026-11-19T06:00:00Z", "u2", "list_items", "tool_error"},
    };

    @Inject
    EmbeddedServer server;
    @Inject
    ObjectMapper json;

    InternalCalls auth;
    final String project = "prj_" + UUID.randomUUID();
    final String otherProject = "prj_" + UUID.randomUUID();
    final String grant = "gr_" + UUID.randomUUID();
    final String key = "key_" + UUID.randomUUID();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(TestStack.properties());
        p.put("backlogmcp.audit-log.group-id", "audit-queries-test-" + UUID.randomUUID());
        p.put("test.mutable-clock", "true"); // "today" of the usage series is 2026-11-19 below
        return p;
    }

    @Inject
    MutableClock clock;

    @BeforeAll
    void publish() throws Exception {
        clock.set(Instant.parse("2026-11-19T20:00:00Z"));
        auth = new InternalCalls(server.getURI(), ServiceNames.AUTH);
        try (ToolCallEvents events = new ToolCallEvents()) {
            for (int i = 0; i < EVENTS.length; i++) {
                String[] e = EVENTS[i];
                events.send(project, ToolCallEvents.json(id(i), Instant.parse(e[0]), project, e[1], grant, null, e[2], e[3]));
            }
            events.send(otherProject, ToolCallEvents.json(otherProject + "-0", Instant.parse("2026-11-19T07:00:00Z"),
                    otherProject, "u1", null, key, "list_items", "ok"));
            events.send(otherProject, ToolCallEvents.json(otherProject + "-1", Instant.parse("2026-11-19T08:00:00Z"),
                    otherProject, "u1", null, key, "list_items", "ok"));
        }
        TestDb.awaitCount(Duration.ofSeconds(30), n -> n == EVENTS.length + 2,
                "SELECT count(*) FROM audit_log WHERE project_id IN (?, ?)", project, otherProject);
    }

    private String id(int i) {
        return project + "-" + i;
    }

    @Test
    void dailyUsageWhenCallsOverTwoDaysThenCountsPerDayAndToolByOutcome() {
        DailyUsageReport r = read(auth.get("/internal/usage/daily?projectId=" + project + "&from=2026-11-18&to=2026-11-19"),
                DailyUsageReport.class);
        assertEquals(List.of(
                new DailyToolUsage(LocalDate.parse("2026-11-18"), "create_item", 1, 0, 1, 0),
                new DailyToolUsage(LocalDate.parse("2026-11-18"), "list_items", 3, 2, 0, 1),
                new DailyToolUsage(LocalDate.parse("2026-11-19"), "create_item", 2, 2, 0, 0),
                new DailyToolUsage(LocalDate.parse("2026-11-19"), "list_items", 4, 3, 1, 0)), r.days());

        DailyUsageReport oneDay = read(auth.get("/internal/usage/daily?projectId=" + project + "&from=2026-11-19&to=2026-11-19"),
                DailyUsageReport.class);
        assertEquals(2, oneDay.days().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?projectId=", "?projectId=p&from=2026-11-20&to=2026-11-19", "?projectId=p&from=yesterday",
            "?projectId=p&from=2024-01-01&to=2026-01-01", "?projectId=bad%20id"})
    void dailyUsageWhenParametersInvalidThen400(String query) {
        assertBadRequest(auth.get("/internal/usage/daily" + query));
    }

    @Test
    void lastUsedWhenGrantAndKeyUsedThenLatestTimeForEachAndUnknownAbsent() {
        LastUsedReport r = read(auth.get("/internal/usage/last-used?credentialIds=" + grant + "," + key + ",gr_never"),
                LastUsedReport.class);
        assertEquals(Map.of(grant, Instant.parse("2026-11-19T06:00:00Z"), key, Instant.parse("2026-11-19T08:00:00Z")),
                r.lastUsed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?credentialIds=", "?credentialIds=,,", "?credentialIds=a%20b"})
    void lastUsedWhenParametersInvalidThen400(String query) {
        assertBadRequest(auth.get("/internal/usage/last-used" + query));
    }

    @Test
    void lastUsedWhenMoreThan200IdsThen400() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            ids.add("gr_" + i);
        }
        assertBadRequest(auth.get("/internal/usage/last-used?credentialIds=" + String.join(",", ids)));
    }

    @Test
    void auditLogWhenPagedThenEveryEntryOnceNewestFirst() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            AuditLogPage page = read(auth.get("/internal/audit-log?projectId=" + project + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor)), AuditLogPage.class);
            page.entries().forEach(e -> seen.add(e.eventId()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(4, pages);
        assertEquals(List.of(id(9), id(8), id(7), id(6), id(5), id(4), id(3), id(2), id(1), id(0)), seen);
    }

    @Test
    void auditLogWhenFilteredByUserAndToolThenOnlyMatches() {
        AuditLogPage page = read(auth.get("/internal/audit-log?projectId=" + project + "&userId=u2&tool=list_items"),
                AuditLogPage.class);
        assertEquals(List.of(id(9), id(7), id(4)), page.entries().stream().map(AuditEntry::eventId).toList());
        assertNull(page.nextCursor());
        AuditEntry e = page.entries().getFirst();
        assertEquals("tool_error", e.outcome());
        assertEquals("NOT_FOUND", e.errorType());
        assertEquals(grant, e.grantId());
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", e.argsHash());
    }

    @Test
    void auditLogWhenTimeRangeThenFromInclusiveToExclusive() {
        AuditLogPage page = read(auth.get("/internal/audit-log?projectId=" + project
                + "&from=2026-11-19T02:00:00Z&to=2026-11-19T06:00:00Z"), AuditLogPage.class);
        assertEquals(List.of(id(8), id(7), id(6), id(5)), page.entries().stream().map(AuditEntry::eventId).toList());
    }

    @Test
    void auditLogWhenNoProjectThenAcrossProjectsForPlatformAdmins() {
        AuditLogPage page = read(auth.get("/internal/audit-log?userId=u1&from=2026-11-19T05:00:00Z&to=2026-11-19T09:00:00Z"),
                AuditLogPage.class);
        assertTrue(page.entries().stream().map(AuditEntry::eventId).toList()
                .containsAll(List.of(otherProject + "-1", otherProject + "-0", id(8))));
    }

    @Test
    void seriesByCredentialWhenCallsOverTwoDaysThenDailyCountsOldestFirstWithoutDenied() {
        UsageSeries r = read(auth.get("/internal/usage/series?by=credential&ids=" + grant + "," + key + ",gr_never&days=3"), UsageSeries.class);
        assertEquals(LocalDate.parse("2026-11-17"), r.from());
        assertEquals(LocalDate.parse("2026-11-19"), r.to());
        assertEquals(List.of(0L, 3L, 6L), r.calls().get(grant), "the denied call of the 18th does not count");
        assertEquals(List.of(0L, 0L, 2L), r.calls().get(key));
        assertEquals(List.of(0L, 0L, 0L), r.calls().get("gr_never"));
        assertTrue(r.quotaUsedToday() == null || r.quotaUsedToday().isEmpty(), "no quota counters for credentials");
    }

    @Test
    void seriesByProjectWhenAskedThenCallsQuotaCounterOfTodayAndPlanLimits() {
        UsageSeries r = read(auth.get("/internal/usage/series?by=project&ids=" + project + "," + otherProject + "&days=2"), UsageSeries.class);
        assertEquals(List.of(3L, 6L), r.calls().get(project));
        assertEquals(List.of(0L, 2L), r.calls().get(otherProject));
        assertEquals(List.of("free", "pro", "business", "enterprise"), List.copyOf(r.dailyLimits().keySet()));
        assertTrue(r.dailyLimits().get("free") != 0);
        UsageSeries ws = read(auth.get("/internal/usage/series?by=workspace&ids=ws_test&days=1"), UsageSeries.class);
        assertTrue(ws.calls().get("ws_test").getFirst() >= 8, "both projects' calls of the day count for their workspace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?ids=a", "?by=user&ids=a", "?by=project", "?by=project&ids=", "?by=project&ids=a&days=0",
            "?by=project&ids=a&days=91", "?by=project&ids=bad%20id"})
    void seriesWhenParametersInvalidThen400(String query) {
        assertBadRequest(auth.get("/internal/usage/series" + query));
    }

    @Test
    void auditLogWhenFilteredByClientOutcomeAndWorkspaceThenOnlyMatches() {
        AuditLogPage errors = read(auth.get("/internal/audit-log?projectId=" + project + "&clientId=client_test&outcome=tool_error"),
                AuditLogPage.class);
        assertEquals(List.of(id(9), id(2)), errors.entries().stream().map(AuditEntry::eventId).toList());
        List<AuditEntry> none = read(auth.get("/internal/audit-log?projectId=" + project + "&clientId=other_client"),
                AuditLogPage.class).entries();
        assertTrue(none == null || none.isEmpty());
        assertEquals(10, read(auth.get("/internal/audit-log?projectId=" + project + "&workspaceId=ws_test"),
                AuditLogPage.class).entries().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"?limit=0", "?limit=201", "?limit=ten", "?cursor=not-a-cursor", "?cursor=%2F%2F%2F",
            "?from=2026-11-19", "?from=2026-11-19T05:00:00Z&to=2026-11-19T05:00:00Z", "?tool=drop%20table", "?outcome=failed", "?clientId=a%20b"})
    void auditLogWhenParametersInvalidThen400(String query) {
        assertBadRequest(auth.get("/internal/audit-log" + query));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/internal/audit-log", "/internal/usage/daily?projectId=p", "/internal/usage/last-used?credentialIds=a"})
    void queriesWhenNoServiceCredentialThen401(String path) {
        HttpResponse<String> r = auth.send(HttpRequest.newBuilder(server.getURI().resolve(path)).GET().build());
        assertEquals(401, r.statusCode());
    }

    private void assertBadRequest(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.body().startsWith("{"), r.body());
    }

    private <T> T read(HttpResponse<String> r, Class<T> type) {
        assertEquals(200, r.statusCode(), r.body());
        try {
            return json.readValue(r.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
