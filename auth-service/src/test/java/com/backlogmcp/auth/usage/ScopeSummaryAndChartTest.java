package com.backlogmcp.auth.usage;

import com.backlogmcp.contracts.vocabulary.Scope;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-phrase access summary, the usage bars and the quota meter. */
class ScopeSummaryAndChartTest {

    @Test
    void summaryWhenEveryScopeThenFullAccess() {
        ScopeSummary s = ScopeSummary.of(Scope.allValues());
        assertEquals("Full access", s.headline());
        assertEquals(14, s.details().size());
    }

    @Test
    void summaryWhenEveryReadScopeThenReadOnly() {
        List<String> reads = Arrays.stream(Scope.values()).filter(x -> !x.isWrite()).map(Scope::value).toList();
        assertEquals("Read only", ScopeSummary.of(reads).headline());
        assertEquals("read", ScopeSummary.of(reads).kind());
    }

    @Test
    void summaryWhenSomeScopesThenCountedWithDetailsInCatalogOrder() {
        ScopeSummary s = ScopeSummary.of(List.of("comments:write", "backlog:read", "backlog:write", "members:read", "notes:read", "inbox:read"));
        assertEquals("6 of 14 permissions", s.headline());
        assertEquals("partial", s.kind());
        assertEquals(List.of("backlog:read", "backlog:write", "comments:write", "notes:read", "inbox:read", "members:read"),
                s.details().stream().map(ScopeSummary.Detail::scope).toList());
        assertEquals("2 of 14 permissions, read only", ScopeSummary.of(List.of("backlog:read", "notes:read")).headline());
    }

    @Test
    void summaryWhenUnknownScopeThenIgnored() {
        assertEquals("1 of 14 permissions, read only", ScopeSummary.of(List.of("backlog:read", "admin:everything")).headline());
    }

    @Test
    void barsWhenSeriesThenOneBarPerDayScaledToTheMaxWithAccessibleNumbers() {
        String svg = UsageChart.bars(List.of(0L, 5L, 10L), "Calls to <Acme>");
        assertEquals(3, svg.split("<rect ").length - 1);
        assertTrue(svg.contains("height=\"30.0\""), "the largest day fills the chart");
        assertTrue(svg.contains("height=\"15.0\""));
        assertTrue(svg.contains("Calls to &lt;Acme&gt;, last 3 days: 0, 5, 10"));
        assertTrue(svg.contains("aria-label=\"Calls to &lt;Acme&gt;: 15 calls in the last 3 days\""));
    }

    @Test
    void meterWhenLimitedThenPercentAndLevel() {
        assertEquals(new UsageChart.Meter(12, 25L, 48, "", "12 of 25 calls today"), UsageChart.meter(12, 25L));
        assertEquals("high", UsageChart.meter(20, 25L).level());
        assertEquals("full", UsageChart.meter(25, 25L).level());
        assertEquals(100, UsageChart.meter(26, 25L).percent());
        assertEquals("1,200 of 3,000 calls today", UsageChart.meter(1200, 3000L).text());
    }

    @Test
    void meterWhenUnlimitedOrUnknownThenJustTheCount() {
        assertEquals("3 calls today · unlimited plan", UsageChart.meter(3, -1L).text());
        assertEquals("1 call today", UsageChart.meter(1, null).text());
        assertNull(UsageChart.meter(1, null).limit());
    }
}
