package com.backlogmcp.auth.apps;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Last-used times from audit-service ({@code GET /internal/usage/last-used?credentialIds=…}). The connected-apps page
 * must work while audit is down, so a failure answers empty and the page says "unknown".
 */
@Singleton
class AuditUsageClient {

    private static final Logger LOG = LoggerFactory.getLogger(AuditUsageClient.class);
    private final HttpClient http;

    AuditUsageClient(@Client(id = "audit") HttpClient http) {
        this.http = http;
    }

    Optional<Map<String, Instant>> lastUsed(List<String> credentialIds) {
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
}
