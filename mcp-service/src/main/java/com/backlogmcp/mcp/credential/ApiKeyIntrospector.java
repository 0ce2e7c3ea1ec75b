package com.backlogmcp.mcp.credential;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.neighbour.IntrospectionClient;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * API keys ({@code bmcp_…}) are opaque: auth-service introspects them. Answers are cached for at most 30 s,
 * keyed by the key's SHA-256 so the raw key never sits in memory longer than the request.
 * <p>
 * Single flight: when an entry is missing or expired, the first caller introspects and every concurrent caller
 * of the same key waits for that one answer, so an expiry under load costs auth-service one call, not one per
 * request in flight. A failure is handed to the callers that waited for it but never cached: the next call asks
 * again. A key revoked on {@code auth.grants.v1} is dropped from the cache ({@link #forget}), and an answer that
 * was already on its way when the revocation arrived is not stored (checked against the {@link GrantDenylist}
 * under the same lock as {@link #forget}). Either way step 2 refuses the key through the denylist.
 */
@Singleton
public class ApiKeyIntrospector {

    public static final String PREFIX = "bmcp_";
    private static final int MAX_ENTRIES = 10_000;

    /** An answer and the principal read from it once (null when the answer does not name one: the key is refused). */
    private record Cached(Map<String, Object> answer, String keyId, Instant until, Principal principal) {
    }

    private final IntrospectionClient client;
    private final EdgeConfiguration config;
    private final GrantDenylist denylist;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, Object>>> inFlight = new ConcurrentHashMap<>();
    /** Orders storing an answer against forgetting a revoked key (both rare: a miss, a revocation). */
    private final Object revocations = new Object();

    public ApiKeyIntrospector(IntrospectionClient client, EdgeConfiguration config, GrantDenylist denylist) {
        this.client = client;
        this.config = config;
        this.denylist = denylist;
    }

    public static boolean isApiKey(String token) {
        return token.startsWith(PREFIX);
    }

    public Principal verify(String key) throws CredentialRejected {
        Instant now = clock.instant();
        String cacheKey = sha256(key);
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.until().isAfter(now) && cached.principal() != null && alive(cached.answer(), now)) {
            // The steady state: the same checks as below, on an answer already read into a principal.
            return cached.principal();
        }
        return principal(answer(key, cacheKey, now), now);
    }

    private static boolean alive(Map<String, Object> a, Instant now) {
        return Boolean.TRUE.equals(a.get("active"))
                && !(a.get("exp") instanceof Number n && Instant.ofEpochSecond(n.longValue()).isBefore(now));
    }

    private static Principal principal(Map<String, Object> a, Instant now) throws CredentialRejected {
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
                : Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList()));
        return new Principal(Principal.Kind.API_KEY, sub, scopes, string(a, "client_id"), null, keyId, List.of(),
                string(a, "project_id"), string(a, "workspace_id"));
    }

    /** Drops any cached answer for a revoked key, so it is introspected afresh once the denylist forgets it. */
    public void forget(String keyId) {
        if (keyId != null) {
            synchronized (revocations) {
                cache.values().removeIf(c -> keyId.equals(c.keyId()));
            }
        }
    }

    private Map<String, Object> answer(String key, String cacheKey, Instant now) {
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.answer();
        }
        CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Object>> leader = inFlight.putIfAbsent(cacheKey, mine);
        return leader == null ? introspect(key, cacheKey, mine) : await(leader);
    }

    /** This caller leads: introspect, store, publish the outcome to the waiters, then step aside. */
    private Map<String, Object> introspect(String key, String cacheKey, CompletableFuture<Map<String, Object>> mine) {
        try {
            Instant started = clock.instant();
            // A leader that finished just before we registered may already have stored a fresh answer.
            Cached fresh = cache.get(cacheKey);
            Map<String, Object> answer;
            if (fresh != null && fresh.until().isAfter(started)) {
                answer = fresh.answer();
            } else {
                answer = client.introspect(key);
                remember(cacheKey, answer, started.plus(config.effectiveIntrospectionTtl()));
            }
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            // Stored (or failed) before this removal, so a caller arriving now finds the answer or leads anew.
            inFlight.remove(cacheKey, mine);
        }
    }

    private void remember(String cacheKey, Map<String, Object> answer, Instant until) {
        String keyId = string(answer, "key_id");
        synchronized (revocations) {
            // The revocation may have landed while auth-service was answering: GrantEventsConsumer records it in
            // the denylist before calling forget(), and both hold this lock, so either forget() removes this entry
            // or this check sees the revocation and the answer is never stored.
            if (keyId != null && denylist.isRevoked(keyId)) {
                return;
            }
            Instant now = clock.instant();
            if (cache.size() >= MAX_ENTRIES) {
                cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
            }
            Principal principal;
            try {
                principal = principal(answer, now);
            } catch (CredentialRejected e) {
                principal = null;
            }
            cache.put(cacheKey, new Cached(answer, keyId, until, principal));
        }
    }

    /** Waits for the leader's answer; bounded, since the leader's own call is bounded by the client timeouts. */
    private Map<String, Object> await(CompletableFuture<Map<String, Object>> leader) {
        Duration limit = config.upstreamTimeout().multipliedBy(2).plusSeconds(1);
        try {
            return leader.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // The leader's call failed: each waiter gets its own exception (the leader's is not shared across threads).
            throw new UpstreamUnavailableException("auth-service", e.getCause());
        } catch (TimeoutException e) {
            throw new UpstreamUnavailableException("auth-service", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("auth-service", e);
        }
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
