package com.backlogmcp.mcp.stream;

import com.backlogmcp.mcp.session.SessionIds;
import com.backlogmcp.mcp.session.SessionLog;
import io.micronaut.context.annotation.Context;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which resource URIs each 2025-era session subscribed to, known to every replica: {@code resources/subscribe} may
 * reach one replica while the session's GET stream is held by another (or moves to another after a restart), so a
 * subscription is a fact on the {@link SessionLog} that every replica applies. Entries go when their session would
 * have expired.
 */
// Eager, so it listens to the session log before the log replays the subscriptions of still-valid sessions.
@Context
public class SubscriptionBook {

    private static final String SUBSCRIBE = "sub|";
    private static final String UNSUBSCRIBE = "unsub|";

    private record Entry(Set<String> uris, Instant expiresAt) {
    }

    private final Map<String, Entry> bySession = new ConcurrentHashMap<>();
    private final SessionLog log;

    SubscriptionBook(SessionLog log) {
        this.log = log;
        log.onRecord(this::apply);
    }

    public void subscribe(SessionIds.Session session, String uri) {
        log.publish(session.nonce(), SUBSCRIBE + session.expiresAt() + "|" + uri);
    }

    public void unsubscribe(SessionIds.Session session, String uri) {
        log.publish(session.nonce(), UNSUBSCRIBE + session.expiresAt() + "|" + uri);
    }

    public Set<String> of(String sessionNonce) {
        Entry e = bySession.get(sessionNonce);
        return e == null ? Set.of() : Set.copyOf(e.uris());
    }

    /** Facts look like {@code sub|<expiry>|<uri>}; the URI may itself hold '|', so it is everything after the second one. */
    private void apply(String nonce, String fact) {
        boolean add = fact.startsWith(SUBSCRIBE);
        if (!add && !fact.startsWith(UNSUBSCRIBE)) {
            return;
        }
        String rest = fact.substring(add ? SUBSCRIBE.length() : UNSUBSCRIBE.length());
        int bar = rest.indexOf('|');
        if (bar < 0) {
            return;
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(rest.substring(0, bar));
        } catch (RuntimeException e) {
            return;
        }
        String uri = rest.substring(bar + 1);
        Instant now = Instant.now();
        bySession.values().removeIf(e -> e.expiresAt().isBefore(now));
        if (!expiresAt.isAfter(now)) {
            return;
        }
        Entry entry = bySession.computeIfAbsent(nonce, n -> new Entry(ConcurrentHashMap.newKeySet(), expiresAt));
        if (add) {
            entry.uris().add(uri);
        } else {
            entry.uris().remove(uri);
        }
    }
}
