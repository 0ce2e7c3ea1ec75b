package com.backlogmcp.auth.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pages of audit-service's audit log ({@code GET /internal/audit-log}), newest first. Entries carry the arguments only
 * as their HMAC hash; there is nothing else to show.
 */
@Singleton
public class AuditLogClient {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogClient.class);

    /** One audited call. */
    public record Entry(Instant at, String projectId, @Nullable String workspaceId, String userId, @Nullable String clientId,
                        String tool, String outcome, @Nullable String errorType, long latencyMs, @Nullable String argsHash) {
    }

    /** A page and the cursor of the next (older) one, null on the last page. */
    public record Page(List<Entry> entries, @Nullable String nextCursor) {
    }

    /** audit-service refused the filter (400) — the message is meant for the person who typed it. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }

    /** audit-service did not answer. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;

    AuditLogClient(@Client(id = "audit") HttpClient http) {
        this.http = http;
    }

    /** Filters are passed as given (null or blank = not filtered); audit-service validates them. */
    public Page page(Map<String, String> filters, @Nullable String cursor, int limit) {
        UriBuilder uri = UriBuilder.of("/internal/audit-log").queryParam("limit", limit);
        Map<String, String> all = new LinkedHashMap<>(filters);
        all.put("cursor", cursor);
        all.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                uri.queryParam(k, v.trim());
            }
        });
        try {
            JsonNode node = http.toBlocking().retrieve(HttpRequest.GET(uri.build()), JsonNode.class);
            List<Entry> entries = new ArrayList<>();
            JsonNode list = node.get("entries");
            if (list != null && list.isArray()) {
                for (JsonNode e : list.values()) {
                    entries.add(new Entry(Instant.parse(text(e, "at")), text(e, "projectId"), text(e, "workspaceId"), text(e, "userId"),
                            text(e, "clientId"), text(e, "tool"), text(e, "outcome"), text(e, "errorType"),
                            e.get("latencyMs") == null ? 0 : e.get("latencyMs").getLongValue(), text(e, "argsHash")));
                }
            }
            return new Page(entries, text(node, "nextCursor"));
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 400) {
                String message = e.getResponse().getBody(JsonNode.class).map(b -> text(b, "message")).orElse("the filter was refused");
                throw new Rejected(message == null ? "the filter was refused" : message);
            }
            LOG.warn("audit-service audit-log lookup failed: {}", e.toString());
            throw new Unavailable("audit-service answered " + e.getStatus().getCode(), e);
        } catch (RuntimeException e) {
            LOG.warn("audit-service audit-log lookup failed: {}", e.toString());
            throw new Unavailable("audit-service is unreachable", e);
        }
    }

    @Nullable
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.coerceStringValue();
    }
}
