package com.backlogmcp.auth.usage;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage from audit-service: last-used times ({@code GET /internal/usage/last-used?credentialIds=…}) and daily series
 * ({@code GET /internal/usage/series?by=&ids=&days=}). The account pages must work while audit is down, so a failure
 * answers empty and the page says "unknown" instead of numbers.
 */
@Singleton
public class AuditUsageClient {

    /** audit-service answers at most this many ids per query. */
    private static final int MAX_IDS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(AuditUsageClient.class);
    private final HttpClient http;

    AuditUsageClient(@Client(id = "audit") HttpClient http) {
        this.http = http;
    }

    public Optional<Map<String, Instant>> lastUsed(List<String> credentialIds) {
        if (credentialIds.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            var uri = UriBuilder.of("/internal/usage/last-used").queryParam("credentialIds", String.join(",", credentialIds)).build();
            JsonNode node = http.toBlocking().retrieve(HttpRequest.GET(uri), JsonNode.class);
            JsonNode map = node.get("lastUsed");
            Map<String, Instant> out = new HashMap<>();
            if (map != null && map.isObject()) {
                for (Map.Entry<String, JsonNode> e : map.entries()) {
                    if (e.getValue().isString()) {
                        out.put(e.getKey(), Instant.parse(e.getValue().getStringValue()));
                    }
                }
            }
            return Optional.of(out);
        } catch (RuntimeException e) {
            LOG.warn("audit-service last-used lookup failed: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Daily calls of each id ({@code by} = project, workspace or credential) over the last {@code days} days. */
    public Optional<UsageSeries> series(String by, Collection<String> ids, int days) {
        List<String> all = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        if (all.isEmpty()) {
            return Optional.of(new UsageSeries(today.minusDays(days - 1L), today, Map.of(), Map.of(), Map.of()));
        }
        try {
            Map<String, List<Long>> calls = new HashMap<>();
            Map<String, Long> quota = new HashMap<>();
            Map<String, Long> limits = new HashMap<>();
            LocalDate from = null;
            LocalDate to = null;
            for (int i = 0; i < all.size(); i += MAX_IDS) {
                var uri = UriBuilder.of("/internal/usage/series").queryParam("by", by)
                        .queryParam("ids", String.join(",", all.subList(i, Math.min(all.size(), i + MAX_IDS))))
                        .queryParam("days", days).build();
                JsonNode node = http.toBlocking().retrieve(HttpRequest.GET(uri), JsonNode.class);
                from = LocalDate.parse(node.get("from").getStringValue());
                to = LocalDate.parse(node.get("to").getStringValue());
                entries(node.get("calls")).forEach((id, v) -> {
                    List<Long> perDay = new java.util.ArrayList<>();
                    v.values().forEach(n -> perDay.add(n.getLongValue()));
                    calls.put(id, perDay);
                });
                entries(node.get("quotaUsedToday")).forEach((id, v) -> quota.put(id, v.getLongValue()));
                entries(node.get("dailyLimits")).forEach((plan, v) -> limits.put(plan, v.getLongValue()));
            }
            return Optional.of(new UsageSeries(from, to, calls, quota, limits));
        } catch (RuntimeException e) {
            LOG.warn("audit-service usage series lookup failed: {}", e.toString());
            return Optional.empty();
        }
    }

    private static Map<String, JsonNode> entries(JsonNode object) {
        Map<String, JsonNode> out = new HashMap<>();
        if (object != null && object.isObject()) {
            for (Map.Entry<String, JsonNode> e : object.entries()) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
