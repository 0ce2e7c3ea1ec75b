package com.backlogmcp.mcp.credential;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.neighbour.IntrospectionClient;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys ({@code bmcp_…}) are opaque: auth-service introspects them. Answers are cached for at most 30 s,
 * keyed by the key's SHA-256 so the raw key never sits in memory longer than the request.
 */
@Singleton
public class ApiKeyIntrospector {

    public static final String PREFIX = "bmcp_";
    private static final int MAX_ENTRIES = 10_000;

    private record Cached(Map<String, Object> answer, Instant until) {
    }

    private final IntrospectionClient client;
    private final EdgeConfiguration config;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeyIntrospector(IntrospectionClient client, EdgeConfiguration config) {
        this.client = client;
        this.config = config;
    }

    public static boolean isApiKey(String token) {
        return token.startsWith(PREFIX);
    }

    public Principal verify(String key) throws CredentialRejected {
        String cacheKey = sha256(key);
        Instant now = clock.instant();
        Cached cached = cache.get(cacheKey);
        if (cached == null || !cached.until().isAfter(now)) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
            }
            cached = new Cached(client.introspect(key), now.plus(config.effectiveIntrospectionTtl()));
            cache.put(cacheKey, cached);
        }
        Map<String, Object> a = cached.answer();
        if (!Boolean.TRUE.equals(a.get("active"))) {
            throw new CredentialRejected("api key inactive");
        }
        Object exp = a.get("exp");
        if (exp instanceof Number n && Instant.ofEpochSecond(n.longValue()).isBefore(now)) {
            throw new CredentialRejected("api key expired");
        }
        String sub = string(a, "sub");
        String keyId = string(a, "key_id");
        if (sub == null || keyId == null) {
            throw new CredentialRejected("introspection answer lacks sub or key_id");
        }
        String scope = string(a, "scope");
        Set<String> scopes = scope == null ? Set.of()
                : new LinkedHashSet<>(Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        return new Principal(Principal.Kind.API_KEY, sub, scopes, string(a, "client_id"), null, keyId, List.of(),
                string(a, "project_id"), string(a, "workspace_id"));
    }

    private static String string(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
